import { DecodeError } from "@phasekit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeDeadLetter, encodeDeadLetter } from "./dead-letters.js";

describe("dead-letter records", () => {
  it("a dead letter read back gives where the record was, its value and every decode issue", () =>
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.nat(), fc.nat(), (key, value, partition, offset) => {
        const error = new DecodeError("event e1", [{ path: "at", value: 10n, expected: "string" }]);
        const letter = { consumer: "g", topic: "t", partition, offset, key, value, error };
        const back = decodeDeadLetter({
          topic: "dlq",
          partition: 0,
          offset: 0,
          key,
          value: encodeDeadLetter(letter),
        });
        expect(back).toEqual({
          consumer: "g",
          topic: "t",
          partition,
          offset,
          key,
          value,
          error: { message: error.message, issues: [{ path: "at", value: "10", expected: "string" }] },
        });
      }),
    ));

  it("a record on the DLQ topic that is not a dead letter is shown as one about itself", () => {
    const foreign = { topic: "dlq", partition: 1, offset: 7, key: "k", value: "hello" };
    expect(decodeDeadLetter(foreign)).toMatchObject({
      ...foreign,
      error: { message: "not a dead letter written by phasekit" },
    });
  });
});
