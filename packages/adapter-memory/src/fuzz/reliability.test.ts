import { describe, expect, it } from "vitest";
import { recordReliability } from "../../../../scripts/reliability/record.js";
import { measureFault } from "./reliability.js";

// The simulator's reliability figures (RELIABILITY.md): each fault forced on the same 120
// generated Dyff scenarios, counted against the runs without it. Each test writes its figure to
// test-results/reliability/ for `pnpm reliability:doc`.

const scenarios = 120;
const seed = 20261206;
const command = "pnpm vitest run --project unit packages/adapter-memory/src/fuzz/reliability.test.ts";
const file = "packages/adapter-memory/src/fuzz/reliability.test.ts";

const cases = [
  {
    id: "sim-duplicate-30",
    fault: "30% duplicated deliveries",
    faults: { duplicate: 0.3 },
    every: "30% of polls",
  },
  {
    id: "sim-crash-before-commit",
    fault: "crash before commit (20% of commits)",
    faults: { crashBeforeCommit: 0.2 },
    every: "20% of commits, compare-and-sets and cluster creates",
  },
  {
    id: "sim-reorder",
    fault: "records of different entities reordered",
    faults: { reorder: true },
    every: "every poll",
  },
  {
    id: "sim-stale-reads",
    fault: "cluster reads up to 2 writes stale",
    faults: { staleReads: 2 },
    every: "every cluster read",
  },
] as const;

describe("reliability figures of the simulator", () => {
  for (const c of cases)
    it(`${c.fault}: no status change lost, no double admission, no quota breach over ${scenarios} generated scenarios`, () => {
      const f = measureFault(c.faults, { scenarios, seed });
      const name = `${c.fault}: no status change lost, no double admission, no quota breach over ${scenarios} generated scenarios`;
      recordReliability({
        id: c.id,
        fault: c.fault,
        backend: "simulator (memory adapter)",
        load: `${f.scenarios} generated Dyff scenarios (fuzz seed ${seed}): ${f.entities} entities, ${f.statusChanges} status changes`,
        injected: `${c.every}: ${f.redelivered} records delivered again, ${f.crashes} crashes`,
        lostStatusChanges: f.lostStatusChanges,
        doubleAdmissions: f.doubleAdmissions,
        quotaBreaches: f.quotaBreaches,
        command,
        test: `${file} > ${name}`,
      });
      expect(f.statusChanges).toBeGreaterThan(100);
      expect(c.id !== "sim-duplicate-30" || f.redelivered > 0).toBe(true);
      expect(c.id !== "sim-crash-before-commit" || f.crashes > 0).toBe(true);
      expect({ lost: f.lostStatusChanges, double: f.doubleAdmissions, breaches: f.quotaBreaches }).toEqual({
        lost: 0,
        double: 0,
        breaches: 0,
      });
    });
});
