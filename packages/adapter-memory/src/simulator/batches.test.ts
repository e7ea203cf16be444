import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planResources } from "./batches.js";
import { drawnScenario, expectSameEnd, runSettling } from "./batching.test-support.js";
import type { Scenario, ScenarioKind } from "./scenario.js";
import type { Simulation } from "./simulation.js";

/**
 * Bursts: several accounts with tight quotas, sometimes few nodes, resources of every kind created
 * at a few shared instants (unique ids from a small pool, in an order that is not the id order), dependencies on earlier resources, terminations and failures at the
 * same instants, and sometimes an informer lag. No delivery faults: with them nothing batches.
 */
const kinds: readonly ScenarioKind[] = [
  "Model",
  "Model",
  "Model",
  "Dataset",
  "InferenceService",
  "Evaluation",
];
const burst = fc.record({
  accounts: fc.array(fc.record({ gpu: fc.nat(4), slots: fc.option(fc.nat(3), { nil: undefined }) }), {
    minLength: 1,
    maxLength: 3,
  }),
  nodes: fc.option(fc.array(fc.nat(4), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  resources: fc.uniqueArray(
    fc.record({
      kind: fc.constantFrom(...kinds),
      id: fc.nat(24),
      account: fc.nat(),
      gpu: fc.nat(3),
      takes: fc.integer({ min: 1, max: 40 }),
      at: fc.constantFrom(0, 0, 0, 5, 20),
      pick: fc.nat(),
    }),
    { minLength: 3, maxLength: 16, selector: (r) => r.id },
  ),
  events: fc.array(
    fc.record({
      at: fc.constantFrom(0, 5, 20, 30),
      action: fc.constantFrom("terminate", "fail"),
      target: fc.nat(),
    }),
    { maxLength: 3 },
  ),
  informerLag: fc.constantFrom(0, 0, 3),
  /** Mostly created in id order, as a burst from one client often is: those batch. */
  idOrder: fc.boolean(),
});

type Burst = typeof burst extends fc.Arbitrary<infer B> ? B : never;

/** The scenario of `b`: ids `w<n>`, created in id order when `idOrder`, with its informer lag. */
const scenarioOf = (b: Burst): Scenario =>
  drawnScenario(
    {
      ...b,
      resources: (b.idOrder
        ? [...b.resources].sort((x, y) => (`w${x.id}` < `w${y.id}` ? -1 : 1))
        : b.resources
      ).map((r) => ({ ...r, id: `w${r.id}` })),
      faults: { informerLag: b.informerLag },
    },
    "burst",
  );

/** Runs a scenario one by one or batched, to the end, with what the recorder saw. */
const run = (scenario: Scenario, batchCreates: boolean) => runSettling(scenario, { creates: batchCreates });
const refused = (sim: Simulation) =>
  sim.notes.flatMap((n) => (n.type === "command" && n.refused ? [`${n.command} ${n.id}`] : [])).sort();

describe("batched creates", () => {
  it("creates batched at one instant end as one by one: same final statuses, same admissions in the same order per account, same refusals", () => {
    let inBatches = 0;
    fc.assert(
      fc.property(burst, (b) => {
        const scenario = scenarioOf(b);
        for (const p of planResources(scenario.resources, true))
          if (p.type === "batch") inBatches += p.resources.length;
        const one = run(scenario, false);
        const batched = run(scenario, true);
        expectSameEnd(batched, one, scenario);
        expect(refused(batched)).toEqual(refused(one));
      }),
      { numRuns: 150 },
    );
    // The property is only worth something if bursts did batch: on average over two creates a run.
    expect(inBatches).toBeGreaterThan(250);
  });

  it("a burst of one kind in id order is one batch; a smaller id, another kind or a dependency on the batch starts a new one", () => {
    const r = (kind: ScenarioKind, id: string, needs: string[] = []) =>
      ({ kind, id, account: "a", needs, at: 0 }) as Scenario["resources"][number];
    const plan = planResources(
      [
        r("Model", "m1"),
        r("Model", "m2"),
        r("Model", "m3"),
        r("Model", "m0"),
        r("Dataset", "m4"),
        r("Dataset", "m5"),
      ],
      true,
    );
    expect(plan.map((p) => (p.type === "batch" ? p.resources.map((x) => x.id) : p.type))).toEqual([
      ["m1", "m2", "m3"],
      "create",
      "create",
      "upload",
      "create",
      "upload",
    ]);
    const withNeed = planResources([r("InferenceService", "s1"), r("InferenceService", "s2", ["s1"])], true);
    expect(withNeed.map((p) => p.type)).toEqual(["create", "create"]);
    const many = Array.from({ length: 1200 }, (_, i) => r("Model", `m${String(i).padStart(4, "0")}`));
    expect(planResources(many, true).map((p) => (p.type === "batch" ? p.resources.length : 1))).toEqual([
      500, 500, 200,
    ]);
    expect(planResources([r("Model", "m1"), r("Model", "m2")], false).map((p) => p.type)).toEqual([
      "create",
      "create",
    ]);
  });
});
