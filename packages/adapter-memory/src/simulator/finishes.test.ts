import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { drawnScenario, expectSameEnd, runSettling } from "./batching.test-support.js";
import type { Scenario, ScenarioKind } from "./scenario.js";
import type { Simulation } from "./simulation.js";

/**
 * Work that ends together: a few accounts with tight quotas (so a finish frees room for waiting
 * work), sometimes few nodes, Models and Datasets (sometimes every kind, with dependencies on
 * earlier resources), run times from a small
 * set and creations at a few shared instants (so steps finish at the same instants), terminations
 * and failures at those instants too. No delivery faults and no informer lag: with them nothing
 * batches (`batchingExact`).
 */
const kinds: readonly ScenarioKind[] = ["Model", "Model", "Dataset", "InferenceService", "Evaluation"];
const together = fc.record({
  accounts: fc.array(fc.record({ gpu: fc.nat(4), slots: fc.option(fc.nat(3), { nil: undefined }) }), {
    minLength: 1,
    maxLength: 3,
  }),
  /** Mostly none: with nodes, nothing batches. */
  nodes: fc.option(fc.array(fc.nat(4), { minLength: 1, maxLength: 3 }), { nil: undefined, freq: 2 }),
  resources: fc.array(
    fc.record({
      kind: fc.constantFrom(...kinds),
      account: fc.nat(),
      gpu: fc.nat(2),
      takes: fc.constantFrom(10, 10, 10, 20),
      at: fc.constantFrom(0, 0, 0, 10, 20),
      pick: fc.nat(),
    }),
    { minLength: 2, maxLength: 14 },
  ),
  events: fc.array(
    fc.record({
      at: fc.constantFrom(10, 20, 30),
      action: fc.constantFrom("terminate", "fail"),
      target: fc.nat(),
    }),
    { maxLength: 2 },
  ),
  /** Mostly none: with a dependency, nothing batches (`finishesBatchable`). */
  dependencies: fc.constantFrom(false, false, false, true),
});

type Together = typeof together extends fc.Arbitrary<infer T> ? T : never;

/** The scenario of `t`: Models only unless it draws dependencies (Datasets are never batched work). */
const scenarioOf = (t: Together): Scenario =>
  drawnScenario(
    {
      ...t,
      resources: t.resources.map((r, i) => ({
        ...r,
        id: `r${i}`,
        kind: t.dependencies || r.kind === "Dataset" ? r.kind : "Model",
      })),
    },
    "together",
  );

const run = (scenario: Scenario, batchFinishes: boolean) =>
  runSettling(scenario, { finishes: batchFinishes });
/** Every entity's timeline as (time, status, reason): what it went through and when, not the order across entities. */
const histories = (sim: Simulation) => {
  const by: Record<string, string[]> = {};
  for (const e of sim.timeline) (by[e.id] ??= []).push(`${e.t} ${e.status}/${e.reason}`);
  return by;
};

describe("batched finishes", () => {
  it("step finishes due at one instant settled once end as one by one: same final statuses, admissions in the same order per account and at the same times, same history of every entity, same end", () => {
    let fewerRounds = 0;
    fc.assert(
      fc.property(together, (t) => {
        const scenario = scenarioOf(t);
        const one = run(scenario, false);
        const batched = run(scenario, true);
        expectSameEnd(batched, one, scenario);
        expect(histories(batched)).toEqual(histories(one));
        if (batched.stats.rounds < one.stats.rounds) fewerRounds++;
      }),
      { numRuns: 150 },
    );
    // Worth something only if finishes did coincide and batch: fewer rounds in a share of the runs
    // (~27 of 150 in trials; a third of the scenarios have no nodes and no dependencies).
    expect(fewerRounds).toBeGreaterThan(10);
  });

  it("without the option, or with an informer lag, every finish settles on its own", () => {
    const scenario = scenarioOf({
      accounts: [{ gpu: 4, slots: undefined }],
      nodes: undefined,
      resources: [0, 1, 2].map(() => ({
        kind: "Model" as const,
        account: 0,
        gpu: 1,
        takes: 10,
        at: 0,
        pick: 0,
      })),
      events: [],
      dependencies: false,
    });
    const one = run(scenario, false);
    const batched = run(scenario, true);
    expect(batched.stats.rounds).toBeLessThan(one.stats.rounds);
    const lagged = { ...scenario, faults: { ...scenario.faults, informerLag: 5000 } };
    expect(run(lagged, true).stats.rounds).toBe(run(lagged, false).stats.rounds);
  });
});
