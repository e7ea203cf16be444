import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeError } from "../../lifecycle/errors.js";
import { rayStepOptions } from "./step-options.js";
import { rayUserMetadata } from "./user-metadata.js";

const bad = (input: unknown) => {
  const result = rayUserMetadata(input);
  expect(result).toBeInstanceOf(DecodeError);
  return (result as DecodeError).issues;
};

describe("user metadata must be a plain object of JSON values", () => {
  it("None (undefined or null) is no metadata, {}", () => {
    expect(rayUserMetadata(undefined)).toEqual({});
    expect(rayUserMetadata(null)).toEqual({});
  });

  it("a value that is not a dict is refused at the root, naming it", () => {
    for (const input of ["k=v", 42, [1, 2], new Map([["k", "v"]]), new Date(0)]) {
      expect(bad(input)).toEqual([
        { path: "metadata", value: input, expected: "a plain object (a dict) whose values are JSON values" },
      ]);
    }
  });

  it("every value that is not JSON is reported with its path and value", () => {
    const fn = () => 1;
    const issues = bad({
      ok: 1,
      f: fn,
      nested: { n: Number.NaN, list: [1, undefined, Infinity] },
      when: new Date(0),
    });
    expect(issues.map((i) => i.path)).toEqual([
      "metadata.f",
      "metadata.nested.n",
      "metadata.nested.list[1]",
      "metadata.nested.list[2]",
      "metadata.when",
    ]);
    expect(issues[0]).toMatchObject({ value: fn, expected: expect.stringMatching(/^a JSON value/) });
    const message = (rayUserMetadata({ big: 1n }) as DecodeError).message;
    expect(message).toMatch(/metadata\.big: got .*, expected a JSON value \(string, finite number/);
  });

  it("a cycle is refused where it closes", () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    expect(bad({ loop }).map((i) => i.path)).toEqual(["metadata.loop.self"]);
  });

  it("a key named __proto__ stays an ordinary key", () => {
    const input = JSON.parse('{"__proto__": {"x": 1}}');
    const copy = rayUserMetadata(input) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });

  it("any object of JSON values is accepted and returned equal, as a copy", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (input) => {
        const copy = rayUserMetadata(input);
        expect(copy).toEqual(input);
        if (Object.keys(input).length > 0) expect(copy).not.toBe(input);
      }),
    );
  });

  it("one non-JSON value anywhere is reported at exactly its path", () => {
    const nonJson = fc.constantFrom<unknown>(
      undefined,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      () => 0,
      Symbol("s"),
      new Set(),
    );
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
        nonJson,
        (keys, value) => {
          let input: unknown = value;
          for (const key of [...keys].reverse()) input = { [`k${key}`]: input };
          const issues = bad(input);
          expect(issues).toHaveLength(1);
          expect(issues[0]!.path).toBe(`metadata.${keys.map((k) => `k${k}`).join(".")}`);
          expect(Object.is(issues[0]!.value, value)).toBe(true);
        },
      ),
    );
  });
});

describe("step options take Ray's defaults and reject what Ray rejects", () => {
  it("defaults: 3 retries for a function step, 0 for a virtual-actor method", () => {
    expect(rayStepOptions("FUNCTION")).toMatchObject({
      max_retries: 3,
      checkpoint: true,
      catch_exceptions: false,
    });
    expect(rayStepOptions("ACTOR_METHOD")).toMatchObject({ step_type: "ACTOR_METHOD", max_retries: 0 });
    expect(rayStepOptions("FUNCTION", { max_retries: -1, ray_options: { num_cpus: 2 } })).toMatchObject({
      max_retries: -1,
      ray_options: { num_cpus: 2 },
    });
  });

  it("a bad option names its path under options", () => {
    expect((rayStepOptions("FUNCTION", { max_retries: -2 }) as DecodeError).message).toMatch(
      /options\.max_retries: got -2, expected 0, -1 or a positive integer/,
    );
    expect((rayStepOptions("FUNCTION", { checkpoint: "yes" }) as DecodeError).issues[0]?.path).toBe(
      "options.checkpoint",
    );
    expect((rayStepOptions("FUNCTION", { retries: 1 }) as DecodeError).issues[0]?.path).toBe(
      "options.retries",
    );
    expect((rayStepOptions("FUNCTION", { ray_options: [] }) as DecodeError).issues[0]?.path).toBe(
      "options.ray_options",
    );
  });
});
