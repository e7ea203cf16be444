import fc from "fast-check";

/**
 * Mutations of valid records, for the fuzzed decoders (RELIABILITY.md): a valid record's text is
 * truncated, one of its fields (at any depth) is removed, given a value of another type, or joined
 * by a field nobody knows, or the whole text is replaced by random text. Most mutations make the
 * record invalid; some leave it valid (a string for a string), which the tests tell apart by
 * decoding.
 *
 * @module
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a field or element of `value`, as keys. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

function edit(
  value: Json,
  path: readonly (string | number)[],
  change: (parent: Json, key: string | number) => void,
) {
  const copy = structuredClone(value);
  let parent: Json = copy;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key]!;
  change(parent, path.at(-1)!);
  return copy;
}

const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.constant(""),
  fc.constant<Json>({}),
  fc.constant<Json>([]),
  fc.constantFrom("2026-13-45T99:99:99Z", "NaN", "Admitted", "Terminated", "-1"),
);

/** One mutation of the record `text` (valid JSON): its description and the mutated text. */
export const mutationOf = (text: string): fc.Arbitrary<{ readonly how: string; readonly value: string }> => {
  const json = JSON.parse(text) as Json;
  const all = paths(json);
  const at = all.length > 0 ? fc.constantFrom(...all) : fc.constant([] as (string | number)[]);
  return fc.oneof(
    fc
      .nat({ max: Math.max(0, text.length - 1) })
      .map((n) => ({ how: `truncated at ${n}`, value: text.slice(0, n) })),
    at.map((p) => ({
      how: `removed ${p.join(".")}`,
      value: JSON.stringify(
        p.length === 0
          ? {}
          : edit(json, p, (parent, key) => {
              if (Array.isArray(parent)) parent.splice(Number(key), 1);
              else delete (parent as Record<string, Json>)[key];
            }),
      ),
    })),
    fc.tuple(at, wrongValue).map(([p, v]) => ({
      how: `${p.join(".") || "the whole"} set to ${JSON.stringify(v)}`,
      value: JSON.stringify(
        p.length === 0
          ? v
          : edit(json, p, (parent, key) => {
              (parent as Record<string | number, Json>)[key] = v;
            }),
      ),
    })),
    fc.tuple(at, fc.string({ minLength: 1, maxLength: 8 })).map(([p, k]) => ({
      how: `unknown field ${k} beside ${p.join(".") || "the top"}`,
      value: JSON.stringify(
        p.length === 0
          ? { ...(json as object), [`x-${k}`]: 1 }
          : edit(json, p, (parent) => {
              if (parent !== null && typeof parent === "object" && !Array.isArray(parent))
                parent[`x-${k}`] = 1;
            }),
      ),
    })),
    fc.string().map((s) => ({ how: "random text", value: s })),
  );
};
