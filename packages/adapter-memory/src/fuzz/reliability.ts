import { DecodeError } from "@phasekit/core";
import fc from "fast-check";
import { baselineFaults, prepare, runToEnd } from "../simulator/run.js";
import { decodeScenario, type ScenarioFaults } from "../simulator/scenario.js";
import type { Simulation } from "../simulator/simulation.js";
import { scenarioArbitrary } from "./scenario.js";

/**
 * Reliability figures from the simulator: one fault forced on generated Dyff scenarios, and what
 * it cost, counted against the same scenarios run without it. The counts are the three of
 * RELIABILITY.md: status changes lost, double admissions, quota breaches.
 *
 * @module
 */

/** What one fault cost over a sample of generated scenarios. */
export interface FaultFigures {
  readonly scenarios: number;
  readonly entities: number;
  /** Status changes the aggregator wrote in the runs without the fault. */
  readonly statusChanges: number;
  /** Records delivered again and injected crashes, in the faulty runs. */
  readonly redelivered: number;
  readonly crashes: number;
  /** Status changes of the run without the fault missing, in order, from the faulty run's state log. */
  readonly lostStatusChanges: number;
  /** Entities that entered Admitted more than once, and workflow objects created more than once. */
  readonly doubleAdmissions: number;
  /** Quota breaches seen after any service's step. */
  readonly quotaBreaches: number;
}

const sequence = (sim: Simulation, id: string) =>
  (sim.recorder.stateHistory.get(id) ?? []).map((v) => `${v.entity.status}/${v.entity.reason}`);

/** Status changes of `clean` for `id` that `faulty` does not have, in order. */
function lost(clean: readonly string[], faulty: readonly string[]): number {
  let at = 0;
  let missing = 0;
  for (const s of clean) {
    const found = faulty.indexOf(s, at);
    if (found < 0) missing++;
    else at = found + 1;
  }
  return missing;
}

function doubleAdmissions(sim: Simulation): number {
  let n = 0;
  for (const versions of sim.recorder.stateHistory.values()) {
    let admitted = 0;
    let previous = "";
    for (const { entity } of versions) {
      if (entity.status === "Admitted" && previous !== "Admitted") admitted++;
      previous = entity.status;
    }
    if (admitted > 1) n++;
  }
  for (const creates of sim.recorder.workflowCreates.values()) if (creates > 1) n++;
  return n;
}

/**
 * Forces `faults` on `scenarios` generated Dyff scenarios (fixed `seed`) and counts what it cost.
 *
 * @example
 * ```ts
 * measureFault({ duplicate: 0.3 }, { scenarios: 100, seed: 1 }).lostStatusChanges; // 0
 * ```
 */
export function measureFault(
  faults: Partial<ScenarioFaults>,
  options: { readonly scenarios: number; readonly seed: number },
): FaultFigures {
  const sample = fc.sample(scenarioArbitrary({ systems: ["dyff"] }), {
    numRuns: options.scenarios,
    seed: options.seed,
  });
  const figures = {
    scenarios: 0,
    entities: 0,
    statusChanges: 0,
    redelivered: 0,
    crashes: 0,
    lostStatusChanges: 0,
    doubleAdmissions: 0,
    quotaBreaches: 0,
  };
  for (const generated of sample) {
    const scenario = decodeScenario(generated, "generated");
    if (scenario instanceof DecodeError) throw scenario;
    const forced = { ...baselineFaults(scenario.faults), ...faults };
    const clean = prepare(scenario, scenario.seed, baselineFaults(scenario.faults));
    runToEnd(clean, scenario.until);
    const faulty = prepare(scenario, scenario.seed, forced);
    runToEnd(faulty, scenario.until);
    figures.scenarios++;
    for (const id of clean.recorder.stateHistory.keys()) {
      const changes = sequence(clean, id);
      figures.entities++;
      figures.statusChanges += changes.length;
      figures.lostStatusChanges += lost(changes, sequence(faulty, id));
    }
    const b = faulty.backend;
    figures.redelivered += b.events.stats().redelivered + b.state.stats().redelivered;
    figures.crashes += faulty.stats.crashes;
    figures.doubleAdmissions += doubleAdmissions(faulty);
    figures.quotaBreaches += faulty.breaches.length;
  }
  return figures;
}
