import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FirstFit, type Resources } from "./first-fit.js";

const resources = (max: number): fc.Arbitrary<Resources> =>
  fc.record({
    gpu: fc.integer({ min: 0, max }),
    cpu: fc.integer({ min: 0, max }),
    memoryGiB: fc.integer({ min: 0, max }),
  });

describe("first fit over many nodes", () => {
  it("takes the same node a scan from the first node would, through any takes and gives", () => {
    fc.assert(
      fc.property(
        fc.array(resources(8), { maxLength: 40 }),
        fc.array(fc.oneof(resources(5), fc.nat()), { maxLength: 80 }),
        (capacities, steps) => {
          const nodes = new FirstFit(capacities);
          const free = capacities.map((c) => ({ ...c }));
          const taken: { node: number; r: Resources }[] = [];
          for (const step of steps) {
            if (typeof step === "number") {
              // Give back something taken earlier.
              if (taken.length === 0) continue;
              const [{ node, r }] = taken.splice(step % taken.length, 1) as [{ node: number; r: Resources }];
              nodes.give(node, r);
              const f = free[node]!;
              free[node] = { gpu: f.gpu + r.gpu, cpu: f.cpu + r.cpu, memoryGiB: f.memoryGiB + r.memoryGiB };
              continue;
            }
            const r = step;
            const i = free.findIndex((f) => f.gpu >= r.gpu && f.cpu >= r.cpu && f.memoryGiB >= r.memoryGiB);
            expect(nodes.take(r)).toBe(i < 0 ? undefined : i);
            if (i < 0) continue;
            const f = free[i]!;
            free[i] = { gpu: f.gpu - r.gpu, cpu: f.cpu - r.cpu, memoryGiB: f.memoryGiB - r.memoryGiB };
            taken.push({ node: i, r });
          }
        },
      ),
    );
  });

  it("finds the one node with room among thousands of full ones", () => {
    const capacities = Array.from({ length: 5000 }, (_, i) => ({
      gpu: i === 4321 ? 8 : 0,
      cpu: 8,
      memoryGiB: 64,
    }));
    const nodes = new FirstFit(capacities);
    expect(nodes.take({ gpu: 4, cpu: 1, memoryGiB: 1 })).toBe(4321);
    expect(nodes.take({ gpu: 4, cpu: 1, memoryGiB: 1 })).toBe(4321);
    expect(nodes.take({ gpu: 1, cpu: 0, memoryGiB: 0 })).toBeUndefined();
    expect(new FirstFit([]).take({ gpu: 0, cpu: 0, memoryGiB: 0 })).toBeUndefined();
  });
});
