import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalog } from "../catalog/catalog.js";
import type { Lifecycle } from "../lifecycle/lifecycle.js";
import { xstateNext } from "../testing/laws.js";
import { reachability } from "./closure.js";

/** The key xstateNext returns for a leaf. */
const key = (status: string, reason: string | null) => `${status}/${reason ?? "-"}`;

/**
 * Brute force, independent of the table: from each leaf, expand the set of leaves reached within k
 * steps by asking xstate's own `transition()` every event the spec mentions, until nothing new.
 */
function bruteDistances(lc: Lifecycle): Map<string, Map<string, number>> {
  const byKey = new Map(lc.leaves.map((l) => [key(l.status, l.reason), l]));
  const out = new Map<string, Map<string, number>>();
  for (const start of lc.leaves) {
    const seen = new Map([[key(start.status, start.reason), 0]]);
    let frontier = [start];
    for (let k = 1; frontier.length > 0; k++) {
      const next: typeof frontier = [];
      for (const leaf of frontier) {
        for (const e of lc.events) {
          const to = xstateNext(lc, leaf.status, leaf.reason, { type: e.type, reason: e.reason });
          if (to !== null && !seen.has(to)) {
            seen.set(to, k);
            next.push(byKey.get(to)!);
          }
        }
      }
      frontier = next;
    }
    out.set(key(start.status, start.reason), seen);
  }
  return out;
}

const lifecycles = catalog.all();

describe("reachability closures", () => {
  it.each(lifecycles.map((lc) => [`${lc.system}/${lc.kind}`, lc] as const))(
    "%s: the closure's distance equals a brute-force search over the xstate machine, for every pair of leaves",
    (_, lc) => {
      const closure = reachability(lc);
      const brute = bruteDistances(lc);
      lc.leaves.forEach((from, fi) => {
        lc.leaves.forEach((to, ti) => {
          const expected = brute.get(key(from.status, from.reason))!.get(key(to.status, to.reason)) ?? -1;
          expect(
            closure.distance(fi, ti),
            `${key(from.status, from.reason)} -> ${key(to.status, to.reason)}`,
          ).toBe(expected);
        });
      });
    },
  );

  it("every shortest path is a chain of table steps from `from`, ends at `to`, and is as long as the distance", () => {
    const arb = fc
      .constantFrom(...lifecycles)
      .chain((lc) => fc.tuple(fc.constant(lc), fc.nat(lc.leaves.length - 1), fc.nat(lc.leaves.length - 1)));
    fc.assert(
      fc.property(arb, ([lc, from, to]) => {
        const closure = reachability(lc);
        const path = closure.path(from, to);
        if (!closure.reachable(from, to)) return path === undefined;
        let at = from;
        for (const leaf of path!) {
          const next = lc.leafOf(leaf.status, leaf.reason)!;
          const row = lc.table.subarray(at * lc.events.length, (at + 1) * lc.events.length);
          if (!row.includes(next)) return false;
          at = next;
        }
        return at === to && path!.length === closure.distance(from, to);
      }),
    );
  });

  it("next(from) lists exactly the leaves one table step away, itself excluded", () => {
    for (const lc of lifecycles) {
      const closure = reachability(lc);
      lc.leaves.forEach((_, from) => {
        const row = new Set(lc.table.subarray(from * lc.events.length, (from + 1) * lc.events.length));
        row.delete(-1);
        row.delete(from);
        expect(new Set(closure.next(from).map((l) => lc.leafOf(l.status, l.reason)))).toEqual(row);
      });
    }
  });
});
