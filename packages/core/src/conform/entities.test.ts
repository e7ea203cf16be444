import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Entities, LEAF, TIME, WIDTH } from "./entities.js";

describe("Entities", () => {
  it("property: finds every id added, and no other (as a Map of ids would)", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6, unit: "binary" }), { maxLength: 300 }), (ids) => {
        const table = new Entities();
        const model = new Map<string, number>();
        for (const id of ids) {
          const found = table.find(id);
          expect(found).toBe(model.get(id) ?? -1);
          if (found < 0) model.set(id, table.add(id));
        }
        expect(table.size).toBe(model.size);
        for (const [id, index] of model) {
          expect(table.find(id)).toBe(index);
          expect(table.ids[index]).toBe(id);
        }
        expect(table.find("\u0000never")).toBe(-1);
      }),
    );
  });

  it("given a new entity: its row starts with no time and no leaf, and rows survive the table growing", () => {
    const table = new Entities();
    table.find("a");
    const first = table.add("a");
    table.rows[first * WIDTH + LEAF] = 3;
    for (let i = 0; i < 1000; i++) if (table.find(`e${i}`) < 0) table.add(`e${i}`);
    expect(table.rows[first * WIDTH + LEAF]).toBe(3);
    const last = table.find("e999");
    expect(Number.isNaN(table.rows[last * WIDTH + TIME]!)).toBe(true);
    expect(table.rows[last * WIDTH + LEAF]).toBe(-1);
  });
});
