import { describe, expect, it } from "vitest";
import { DecodeError, TransitionError } from "./errors.js";

const transition = new TransitionError(
  "dyff",
  "Evaluation",
  "Created",
  null,
  { type: "x", reason: null },
  [],
);
const decode = new DecodeError("input", [{ path: "$", value: 1, expected: "a string" }]);

describe("DecodeError.is / TransitionError.is", () => {
  it("recognise their own errors and each rejects the other's", () => {
    expect(TransitionError.is(transition)).toBe(true);
    expect(DecodeError.is(decode)).toBe(true);
    expect(TransitionError.is(decode)).toBe(false);
    expect(DecodeError.is(transition)).toBe(false);
  });

  it("recognise an error from another copy of the class, where instanceof does not", () => {
    // What a CommonJS and an ESM build loaded side by side look like: the same shape, another class.
    class OtherCopy extends Error {
      readonly _tag = "DecodeError" as const;
      readonly issues = [];
    }
    const foreign = new OtherCopy("x");
    expect(foreign instanceof DecodeError).toBe(false);
    expect(DecodeError.is(foreign)).toBe(true);
  });

  it("reject values without the tag", () => {
    for (const v of [
      null,
      undefined,
      0,
      "DecodeError",
      new Error("x"),
      { _tag: "Other" },
      { tag: "DecodeError" },
    ]) {
      expect(DecodeError.is(v)).toBe(false);
      expect(TransitionError.is(v)).toBe(false);
    }
  });
});
