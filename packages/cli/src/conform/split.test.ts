import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cut } from "../testing/chunks.js";
import { ReadError, Splitter } from "./split.js";

function split(chunks: readonly string[]) {
  const values: { value: unknown; line: number }[] = [];
  const texts: { text: string; line: number }[] = [];
  const s = new Splitter({
    json: (value, line) => values.push({ value, line }),
    text: (text, line) => texts.push({ text, line }),
  });
  for (const c of chunks) s.push(c);
  s.end();
  return { values, texts, layout: s.layout };
}

// Objects whose strings hold braces, brackets, quotes, backslashes and newlines: what a naive splitter gets wrong.
const tricky = fc.string({ unit: fc.constantFrom("{", "}", "[", "]", '"', "\\", "\n", "a", " ", ",") });
const object = fc.dictionary(
  fc.string({ maxLength: 4 }),
  fc.oneof(tricky, fc.integer(), fc.array(tricky, { maxLength: 3 })),
  {
    minKeys: 1,
    maxKeys: 4,
  },
);

describe("Splitter", () => {
  it("JSON Lines cut anywhere into chunks give back every value, with its line number", () => {
    fc.assert(
      fc.property(fc.array(object, { minLength: 1, maxLength: 8 }), fc.array(fc.nat()), (objs, at) => {
        const text = `${objs.map((o) => JSON.stringify(o)).join("\n")}\n`;
        const got = split(cut(text, at));
        expect(got.layout).toBe("lines");
        expect(got.values).toEqual(objs.map((value, i) => ({ value, line: i + 1 })));
      }),
    );
  });

  it("concatenated pretty-printed JSON (kubectl -w -o json) cut anywhere gives back every object and the line it starts on", () => {
    fc.assert(
      fc.property(fc.array(object, { minLength: 1, maxLength: 6 }), fc.array(fc.nat()), (objs, at) => {
        const docs = objs.map((o) => JSON.stringify(o, null, 4));
        const text = `${docs.join("\n")}\n`;
        const lines: number[] = [];
        let line = 1;
        for (const d of docs) {
          lines.push(line);
          line += d.split("\n").length;
        }
        const got = split(cut(text, at));
        expect(got.values).toEqual(objs.map((value, i) => ({ value, line: lines[i] })));
      }),
    );
  });

  it("a JSON array cut anywhere gives back its elements one by one", () => {
    fc.assert(
      fc.property(fc.array(object, { maxLength: 6 }), fc.array(fc.nat()), (objs, at) => {
        const got = split(cut(JSON.stringify(objs, null, 2), at));
        expect(got.values.map((v) => v.value)).toEqual(objs);
      }),
    );
  });

  it("text that is not JSON goes on line by line", () => {
    const got = split(["a | b |\n---|", "---|\nx | y |"]);
    expect(got.layout).toBe("text");
    expect(got.texts).toEqual([
      { text: "a | b |", line: 1 },
      { text: "---|---|", line: 2 },
      { text: "x | y |", line: 3 },
    ]);
  });

  it("a bad line names its line number; an unfinished value at the end is an error", () => {
    expect(() => split(['{"a":1}\n{"a":\n'])).toThrow(/line 2: \$: got/);
    expect(() => split(['{\n  "a": 1\n}\n{\n  "b": '])).toThrow(ReadError);
    expect(() => split(["[{}, {"])).toThrow(/the rest of the JSON array/);
  });
});
