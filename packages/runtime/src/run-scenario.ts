import {
  checkInvariants,
  finalStatuses,
  noScenarioFaults,
  runScenario,
  type Scenario,
  type SimulationResult,
  scheduleScenario,
} from "@phasekit/adapter-memory";
import { EventLog, KeyValue, StateLog, type Versioned } from "@phasekit/core";
import { Effect } from "effect";
import type { Backend } from "./backend.js";
import { openSimulation } from "./simulation.js";

/**
 * A scenario run by the one simulation loop over a backend (`phasekit simulate --kafka`): the
 * timeline is built as in memory; the invariants are the same, read from the logs the services
 * ran over (the view equals the state log equals a replay of the event log; nothing admitted
 * twice; quotas kept; every status sequence one the machines allow), and the final statuses are
 * compared with the in-memory simulator's run of the same scenario without faults.
 *
 * @module
 */

/** Faults that only the memory logs and cluster inject; elsewhere they are reported and not applied. */
const memoryOnlyFaults = ["duplicate", "reorder", "informerLag", "staleReads"] as const;

export interface BackendScenarioOptions {
  readonly seed?: number;
  readonly onProgress?: (now: number, until: number | undefined) => void;
}

/** A run's result on a backend: the simulator's, plus the faults that were not applied. */
export interface BackendScenarioResult extends SimulationResult {
  readonly ignoredFaults: readonly string[];
  /** The key-value store's entries at the end (the orchestrator's admission records: the quota ledger). */
  readonly keyValue: ReadonlyMap<string, Versioned>;
}

/** Simulated time after which a run without `until` stops anyway (a year), as in memory. */
const horizon = 365 * 86_400_000;

/**
 * Runs a decoded Dyff scenario over `backend` and checks the invariants. The memory backend (`{}`)
 * is the simulator's own loop run asynchronously; `phasekit simulate` without `--kafka` runs it
 * synchronously (`runScenario`), which is faster and also runs the other systems.
 *
 * @example
 * ```ts
 * const result = await runScenarioOn(scenario, { kafka: { brokers: ["127.0.0.1:19092"], prefix: "sim-1" } });
 * result.held; // every invariant held
 * ```
 */
export async function runScenarioOn(
  scenario: Scenario,
  backend: Backend,
  options: BackendScenarioOptions = {},
): Promise<BackendScenarioResult> {
  const seed = options.seed ?? scenario.seed;
  const baseline = runScenario({ ...scenario, faults: noScenarioFaults }, { seed }).final;
  const f = scenario.faults;
  const ignoredFaults = memoryOnlyFaults.filter((k) => (typeof f[k] === "boolean" ? f[k] : f[k] > 0));
  const opened = await openSimulation(
    {
      seed,
      accounts: scenario.accounts,
      nodes: scenario.cluster?.nodes,
      faults: { ...noScenarioFaults, crashBeforeCommit: f.crashBeforeCommit },
    },
    backend,
  );
  const { simulation: driver, tracker } = opened;
  const sim = driver.simulation;
  try {
    scheduleScenario(scenario, (at, label, op) => sim.schedule(at, label, () => driver.run(op)));
    const progress = options.onProgress && ((now: number) => options.onProgress!(now, scenario.until));
    if (scenario.until !== undefined) await driver.advanceTo(scenario.until, progress);
    else
      for (let next = sim.nextDue(); next !== undefined && next <= horizon; next = sim.nextDue())
        await driver.advanceTo(next, progress);
    const [events, states, keyValue] = await Effect.runPromise(
      Effect.all([
        Effect.flatMap(EventLog, (l) => l.readAll()),
        Effect.flatMap(StateLog, (l) => l.readAll()),
        Effect.flatMap(KeyValue, (kv) => kv.list("")),
      ]).pipe(Effect.provideContext(opened.logs)),
    );
    const final = finalStatuses(sim);
    const invariants = checkInvariants(sim, baseline, { events, states });
    const sent = sim.notes.filter((n) => n.type === "command");
    const refused = sent.filter((c) => c.refused !== null).length;
    return {
      ignoredFaults,
      keyValue,
      seed,
      until: scenario.until === undefined ? null : scenario.until / 1000,
      end: sim.t,
      timeline: sim.timeline,
      notes: sim.notes,
      journal: sim.journal,
      final,
      invariants,
      held: invariants.every((i) => i.held),
      stats: {
        commands: { accepted: sent.length - refused, refused },
        events: events.length,
        states: [...sim.recorder.stateHistory.values()].reduce((n, v) => n + v.length, 0),
        redelivered: tracker.redelivered,
        rewinds: sim.stats.crashes,
        crashes: sim.stats.crashes,
        rejections: sim.stats.rejections,
        rounds: sim.stats.rounds,
      },
    };
  } finally {
    await opened.close();
  }
}
