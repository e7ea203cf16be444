import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeOrderedHeap } from "./ordered-heap.js";

interface Item {
  slot: number;
  readonly key: number;
  readonly id: number;
}
const order = (a: Item, b: Item) => a.key - b.key || a.id - b.id;

describe("the ordered heap", () => {
  it("after any pushes and removals, ascending visits its items in order, and stops where the visit says", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 9 }), remove: fc.nat() }), { maxLength: 60 }),
        fc.nat({ max: 70 }),
        (steps, stopAfter) => {
          const heap = makeOrderedHeap<Item>(order);
          const held: Item[] = [];
          steps.forEach(({ key, remove }, id) => {
            if (remove % 3 === 0 && held.length > 0) heap.remove(held.splice(remove % held.length, 1)[0]!);
            else {
              const item = { slot: -1, key, id };
              heap.push(item);
              held.push(item);
            }
          });
          const sorted = [...held].sort(order);
          const visited: Item[] = [];
          heap.ascending((item) => visited.push(item) < stopAfter);
          expect(visited).toEqual(sorted.slice(0, Math.max(1, stopAfter))); // the visit that says stop still counts
          expect(heap.size()).toBe(held.length);
          expect(new Set(heap.items())).toEqual(new Set(held));
        },
      ),
    );
  });
});
