import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { article, decode } from "./decode.js";
import { DecodeError } from "./lifecycle/errors.js";

/** Every problem's "expected", for a schema and an input. */
function expected(schema: z.ZodType, input: unknown): string[] {
  const result = decode(schema, input, "t");
  if (!(result instanceof DecodeError)) throw new Error("decoded");
  return result.issues.map((i) => `${i.path}: ${i.expected}`);
}

/** One schema per zod issue code, and an input that breaks it. */
const cases: [string, z.ZodType, unknown, string][] = [
  ["invalid_type", z.object({ a: z.number() }), { a: "x" }, "a: a number"],
  ["invalid_type, missing", z.object({ a: z.string() }), {}, "a: a string (the field is required)"],
  ["invalid_type, int", z.int(), 1.5, "$: a whole number"],
  ["too_small, number", z.number().int().nonnegative(), -1, "$: a number >= 0"],
  ["too_small, exclusive", z.number().positive(), 0, "$: a number > 0"],
  ["too_small, string", z.string().min(1), "", "$: a non-empty string"],
  ["too_small, list", z.array(z.string()).min(2), [], "$: a list of at least 2 items"],
  ["too_big, number", z.number().max(10), 11, "$: a number <= 10"],
  ["too_big, string", z.string().max(3), "abcd", "$: a string of at most 3 characters"],
  [
    "invalid_format, datetime",
    z.iso.datetime(),
    "yesterday",
    "$: an ISO 8601 date-time such as 2024-01-31T12:00:00Z",
  ],
  ["invalid_format, regex", z.string().regex(/^a+$/), "b", "$: a string matching /^a+$/"],
  ["not_multiple_of", z.number().multipleOf(5), 3, "$: a multiple of 5"],
  ["unrecognized_keys", z.object({}).strict(), { b: 1 }, "b: no such field"],
  ["invalid_value", z.enum(["x", "y"]), "z", "$: one of x, y"],
  ["invalid_value, literal", z.literal("x"), "y", '$: "x"'],
  ["invalid_union", z.union([z.number(), z.string()]), true, "$: a number, or a string"],
  [
    "invalid_union, discriminator",
    z.discriminatedUnion("k", [z.object({ k: z.literal("a") }), z.object({ k: z.literal("b") })]),
    { k: "c" },
    "k: one of a, b",
  ],
  ["invalid_key", z.record(z.string().min(1), z.number()), { "": 1 }, "$: a key that is a non-empty string"],
  ["custom, ours", z.number().min(0, { error: "a probability" }), -1, "$: a probability"],
  ["custom, zod's", z.custom<string>(() => false), 1, "$: a valid value"],
];

describe("decode: zod's wording never reaches the user", () => {
  for (const [code, schema, input, want] of cases)
    it(`${code}: ${want}`, () => {
      const got = expected(schema, input);
      expect(got.join(" | ")).toContain(want);
      for (const g of got) expect(g).not.toMatch(/Too small|Too big|Invalid input|expected \w+ to (be|have)/);
    });

  it("no message of any issue code, for any input, holds zod's default wording", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: cases.length - 1 }), fc.anything(), (k, input) => {
        const result = decode(cases[k]![1], input, "t");
        if (result instanceof DecodeError)
          for (const i of result.issues)
            expect(i.expected).not.toMatch(/^(Invalid|Too (small|big))|expected \w+ to (be|have)/);
      }),
    );
  });
});

describe("article", () => {
  it("says an before a vowel and a before a consonant", () => {
    expect(article("InferenceService")).toBe("an InferenceService");
    expect(article("Evaluation")).toBe("an Evaluation");
    expect(article("Model")).toBe("a Model");
  });
});
