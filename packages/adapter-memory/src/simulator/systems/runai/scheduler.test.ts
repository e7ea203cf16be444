import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitPods, freeGpus, type Holder, inQuotaUse, reclaimFor } from "./scheduler.js";

const nodes = [
  { name: "big", gpu: 4 },
  { name: "small", gpu: 2 },
];
const holder = (id: string, node: string, gpu: number, extra: Partial<Holder> = {}): Holder => ({
  id,
  project: "p",
  allocation: [{ node, gpu }],
  inQuota: false,
  preemptible: true,
  terminating: false,
  boundSeq: 0,
  ...extra,
});

describe("the Run:ai scheduler's decisions", () => {
  it("best fit: a pod goes to the node with the fewest free GPUs that has room", () => {
    expect(
      fitPods(
        new Map([
          ["big", 4],
          ["small", 2],
        ]),
        [2],
      ),
    ).toEqual([{ node: "small", gpu: 2 }]);
    expect(
      fitPods(
        new Map([
          ["big", 4],
          ["small", 2],
        ]),
        [3],
      ),
    ).toEqual([{ node: "big", gpu: 3 }]);
    expect(
      fitPods(
        new Map([
          ["big", 4],
          ["small", 2],
        ]),
        [2, 2, 2],
      ),
    ).toEqual([
      { node: "small", gpu: 2 },
      { node: "big", gpu: 2 },
      { node: "big", gpu: 2 },
    ]);
    expect(
      fitPods(
        new Map([
          ["big", 4],
          ["small", 2],
        ]),
        [4, 4],
      ),
    ).toBeNull();
  });

  it("fitPods never places more GPUs on a node than it has free, and places all pods or none", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(8), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(4), { maxLength: 6 }),
        (free, pods) => {
          const map = new Map<string, number>(free.map((n, i) => [`n${i}`, n]));
          const placed = fitPods(map, pods, (n) => n - 1);
          if (placed === null) return;
          expect(placed.map((a) => a.gpu)).toEqual(pods);
          const used = new Map<string, number>();
          for (const a of placed) used.set(a.node, (used.get(a.node) ?? 0) + a.gpu);
          for (const [node, n] of used) expect(n).toBeLessThanOrEqual(map.get(node)!);
        },
      ),
    );
  });

  it("free GPUs and in-quota use count only what holders hold", () => {
    const hs = [holder("a", "big", 3, { inQuota: true }), holder("b", "small", 1)];
    expect(freeGpus(nodes, hs)).toEqual(
      new Map([
        ["big", 1],
        ["small", 1],
      ]),
    );
    expect(inQuotaUse(hs, "p")).toBe(3);
  });

  it("reclaim: wait for terminating pods when they free enough; else preempt the newest over-quota work; else nothing", () => {
    const full = [
      holder("old", "big", 2, { boundSeq: 1 }),
      holder("new", "big", 2, { boundSeq: 2 }),
      holder("mine", "small", 2, { inQuota: true }),
    ];
    expect(reclaimFor([2], nodes, full)).toEqual({ action: "preempt", victims: ["new"] });
    expect(reclaimFor([4], nodes, full)).toEqual({ action: "preempt", victims: ["new", "old"] });
    expect(
      reclaimFor([2], nodes, [...full.slice(0, 1), { ...full[1]!, terminating: true }, full[2]!]),
    ).toEqual({ action: "wait" });
    expect(
      reclaimFor(
        [2],
        nodes,
        full.map((h) => ({ ...h, preemptible: false })),
      ),
    ).toEqual({ action: "none" });
    expect(reclaimFor([6], nodes, full)).toEqual({ action: "none" });
  });
});
