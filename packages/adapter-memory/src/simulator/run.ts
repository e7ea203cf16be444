import type { ViewDocument } from "@phasekit/core";
import { batchingExact } from "./batches.js";
import { replayLog } from "./decoded.js";
import { withCauses } from "./dyff-causes.js";
import {
  checkAdmittedOnce,
  checkConsistency,
  checkQuota,
  checkSameAsWithoutFaults,
  checkSequences,
  type FinalStatus,
  type InvariantResult,
  stateFromLog,
} from "./invariants.js";
import { type Actor, type Emitted, Loop } from "./loop.js";
import type { Scenario, ScenarioFaults } from "./scenario.js";
import { scheduleScenario } from "./schedule-scenario.js";
import { Simulation } from "./simulation.js";
import { finishesBatchable } from "./simulation-parts.js";
import type { SimulatorMutation } from "./simulation-setup.js";
import { hasSystems, type SystemsResult, systemActors, systemsResult } from "./systems/run.js";
import type { Note, TimelineEntry } from "./timeline.js";
import { documentStatus } from "./view-status.js";

/**
 * Runs a decoded scenario: schedules its resources, uploads and events, lets simulated time run to
 * `until` (or until nothing is left to happen), and checks the invariants, comparing the final
 * statuses with a second run of the same scenario and seed without faults (but with the
 * informer's lag, see {@link baselineFaults}). Dyff's simulation and the other systems' engines
 * are actors of one loop ({@link Loop}): one clock, one random source, one journal.
 *
 * @module
 */

/** Everything a run produced. Times are simulated seconds. */
export interface SimulationResult {
  readonly seed: number;
  /** The scenario's `until`, or null when it ran until nothing was left to happen. */
  readonly until: number | null;
  /** When the run stopped. */
  readonly end: number;
  /** Every status change, as the query view saw it. */
  readonly timeline: readonly TimelineEntry[];
  readonly notes: readonly Note[];
  /**
   * Timeline entries and notes of every system together, in the order they happened: the one
   * stream of the run's loop (what the text and JSONL outputs print; `timeline` and `notes` are
   * views of it).
   */
  readonly journal: readonly (TimelineEntry | Note)[];
  /** The status of every entity in the view at the end, in order of first appearance. */
  readonly final: readonly FinalStatus[];
  readonly invariants: readonly InvariantResult[];
  /** True when every invariant held. */
  readonly held: boolean;
  readonly stats: SimulationStats;
  /** The Run:ai, Ray and Wallaroo engines' part of the run (null when the scenario has none): query them after it. */
  readonly systems?: SystemsResult | null;
}

export interface SimulationStats {
  readonly commands: { readonly accepted: number; readonly refused: number };
  /** Records on the event log and versions written to the state log. */
  readonly events: number;
  readonly states: number;
  /** Records delivered again to a consumer group (duplicates), and the rewinds that caused them. */
  readonly redelivered: number;
  readonly rewinds: number;
  readonly crashes: number;
  /** Status messages the aggregator refused (races the machines settle, e.g. Complete after Terminated). */
  readonly rejections: number;
  readonly rounds: number;
}

export interface RunOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Called at each simulated instant the run reaches (milliseconds), for progress displays. */
  readonly onProgress?: (now: number, until: number | undefined) => void;
  /** A rule broken on purpose, for the tests of `phasekit fuzz` only (see {@link SimulatorMutation}). */
  readonly mutation?: SimulatorMutation;
  /**
   * Settle once after a burst of creates at one instant instead of after each (default false): much
   * faster for bursts, with the same final statuses and admissions (in the same order per account);
   * the journal lists a batch's commands before what they caused. Only creates for which that holds
   * are batched (`batchable`, batches.ts); nothing is with delivery faults.
   *
   * @example
   * ```ts
   * runScenario(burst, { batchCreates: true });
   * ```
   */
  readonly batchCreates?: boolean;
  /**
   * Settle once after every run of step finishes due at one instant instead of after each (default
   * false): the same final statuses, admissions (in the same order per account) and end as one by
   * one; the journal lists the instant's finishes before what they caused. Off where that would not
   * hold (`finishesBatchable`: dependencies, delivery faults, an informer lag).
   *
   * @example
   * ```ts
   * runScenario(kueueLike, { batchCreates: true, batchFinishes: true });
   * ```
   */
  readonly batchFinishes?: boolean;
}

/** No faults at all: the baseline a faulty run is compared with. */
export const noScenarioFaults: ScenarioFaults = {
  duplicate: 0,
  crashBeforeCommit: 0,
  reorder: false,
  informerLag: 0,
  staleReads: 0,
};

/**
 * The faults of the run a faulty run is compared with: none, but the informer's lag. The lag is
 * latency, not a fault of delivery: it moves when a status is seen, and so it may rightly decide a
 * race (work that ends at `until` is seen after it; a terminate lands before the informer reports
 * the work Complete; a step takes the last room on a node before the one that would have). The
 * delivery faults (duplicates, crashes, reordering, stale reads) must change no final status.
 * `phasekit fuzz` found the first two races within minutes, as broken invariants, when the
 * comparison was with no lag at all.
 *
 * @example
 * ```ts
 * baselineFaults({ duplicate: 0.3, crashBeforeCommit: 0, reorder: true, informerLag: 5000, staleReads: 1 });
 * // { duplicate: 0, crashBeforeCommit: 0, reorder: false, informerLag: 5000, staleReads: 0 }
 * ```
 */
export const baselineFaults = (f: ScenarioFaults): ScenarioFaults => ({
  ...noScenarioFaults,
  informerLag: f.informerLag,
});

/** True when the scenario injects a delivery fault (the informer's lag is not one). */
const hasFaults = (f: ScenarioFaults) =>
  f.duplicate > 0 || f.crashBeforeCommit > 0 || f.reorder || f.staleReads > 0;

/**
 * Builds a simulation of `scenario` with its actions scheduled, ready to run.
 *
 * @example
 * ```ts
 * const sim = prepare(scenario, 7, noScenarioFaults);
 * runToEnd(sim, scenario.until);
 * ```
 */
export function prepare(
  scenario: Scenario,
  seed: number,
  faults: ScenarioFaults,
  mutation?: SimulatorMutation,
  batchCreates = false,
  batchFinishes = false,
): Simulation {
  const sim = new Simulation({
    seed,
    accounts: scenario.accounts,
    nodes: scenario.cluster?.nodes,
    faults,
    mutation,
    batchFinishes: batchFinishes && finishesBatchable(scenario, faults),
  });
  scheduleScenario(
    scenario,
    (at, label, op) => sim.schedule(at, label, () => sim.run(op)),
    batchCreates && batchingExact(faults),
  );
  return sim;
}

/**
 * Dyff's simulation as an actor of the loop: woken at each action of its agenda, it emits its
 * timeline entries and notes as it recorded them.
 *
 * @example
 * ```ts
 * const loop = new Loop(7);
 * loop.add(dyffActor(prepare(scenario, loop.random.seed, noScenarioFaults)));
 * loop.run(scenario.until);
 * ```
 */
export function dyffActor(sim: Simulation): Actor {
  let cursor = 0;
  return {
    system: "dyff",
    // Stale step finishes count as events: a run to `until` performs them, as `advanceTo` always did.
    nextEvent: () => sim.nextScheduled(),
    nextDue: () => sim.nextDue(),
    advanceTo: (at) => sim.advanceTo(at),
    drain: () => {
      const out = sim.journal.slice(cursor);
      cursor = sim.journal.length;
      return out;
    },
  };
}

/**
 * Runs a prepared simulation, alone on a loop, to `until` (milliseconds), or until nothing is left
 * to happen.
 *
 * @example
 * ```ts
 * runToEnd(sim, 7_200_000, (now) => console.error(`t=${now / 1000}s`));
 * ```
 */
export function runToEnd(
  sim: Simulation,
  until: number | undefined,
  onProgress?: RunOptions["onProgress"],
): void {
  const loop = new Loop(sim.setup.seed);
  loop.add(dyffActor(sim));
  loop.run(until, onProgress && ((now: number) => onProgress(now, until)));
}

/**
 * The status of every entity the view holds, in order of first appearance in the timeline.
 *
 * @example
 * ```ts
 * finalStatuses(sim); // [{ system: "dyff", kind: "Model", id: "m1", status: "Ready", reason: null }, ...]
 * ```
 */
export function finalStatuses(sim: Simulation): FinalStatus[] {
  const view = sim.backend.view;
  const first = new Map<string, number>();
  const timeline = sim.timeline;
  for (let i = 0; i < timeline.length; i++) {
    const id = timeline[i]!.id;
    if (!first.has(id)) first.set(id, i);
  }
  const status = (d: ViewDocument): FinalStatus => {
    const e = documentStatus(d);
    return { system: "dyff", kind: e.kind, id: d.id, status: e.status, reason: e.reason };
  };
  // Ordered by (first appearance, or 0 when absent from the timeline; then id): first the documents
  // at 0 by id, then the others as `first` lists them (in order of first appearance, so sorted).
  const out = view
    .documents()
    .filter((d) => !first.has(d.id) || first.get(d.id) === 0)
    .map(status)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const [id, at] of first) {
    const d = at === 0 ? undefined : view.document(id);
    if (d !== undefined) out.push(status(d));
  }
  return out;
}

/**
 * The invariants of a simulation as it stands (settled): pass `baseline` to compare final statuses
 * with a run without faults. The state log is read as compacted (the newest version of each key),
 * whether or not its cleaner ran. `logs`: the records of the logs its services ran over, when they
 * were not the memory backend's (a real Kafka's topics).
 *
 * @example
 * ```ts
 * checkInvariants(faulty, finalStatuses(clean)).filter((i) => !i.held); // []
 * ```
 */
export function checkInvariants(
  sim: Simulation,
  baseline: readonly FinalStatus[] | null,
  logs = { events: sim.backend.events.records(), states: sim.backend.state.records() },
): InvariantResult[] {
  return checkedRun(sim, baseline, logs).invariants;
}

/** {@link checkInvariants}, and the final statuses it compared (which the result reports too). */
function checkedRun(
  sim: Simulation,
  baseline: readonly FinalStatus[] | null,
  logs = { events: sim.backend.events.records(), states: sim.backend.state.records() },
): { invariants: InvariantResult[]; final: FinalStatus[] } {
  const settled = {
    name: "every service ran without an unexpected error and the control plane settled",
    held: sim.errors.length === 0,
    detail: sim.errors.length === 0 ? null : sim.errors.slice(0, 5).join("; "),
  };
  const consistent = checkConsistency(
    sim.backend.view.documents(),
    stateFromLog(logs.states),
    replayLog(logs.events),
  );
  const final = finalStatuses(sim);
  const invariants = [
    consistent,
    checkAdmittedOnce(sim.recorder),
    checkQuota(sim.breaches),
    checkSequences(sim.recorder, sim.timeline),
    checkSameAsWithoutFaults(final, baseline),
    settled,
  ];
  return { invariants, final };
}

const isNote = (e: Emitted): e is Note => "type" in e;

/**
 * The journal with each of Dyff's timeline entries replaced by its annotated one (`annotated[i]`
 * for `timeline[i]`; the simulation makes a new entry object for each). They are in the journal in
 * the timeline's order, so a cursor finds them; were one out of that order, a map of them all would.
 * Only entries of system "dyff" are ever replaced (notes, told apart as `isNote` does, never), so
 * nothing else needs looking up.
 */
function inJournal(
  journal: readonly Emitted[],
  timeline: readonly TimelineEntry[],
  annotated: readonly TimelineEntry[],
): Emitted[] {
  let next = 0;
  let byEntry: Map<Emitted, TimelineEntry> | null = null;
  return journal.map((e) => {
    if (next < timeline.length && e === timeline[next]) return annotated[next++]!;
    if (isNote(e) || e.system !== "dyff") return e;
    byEntry ??= new Map(timeline.map((t, i) => [t, annotated[i]!] as const));
    return byEntry.get(e) ?? e;
  });
}

/**
 * Runs a scenario and checks every invariant. Deterministic: the same scenario and seed give the
 * same result, to the byte once serialised.
 *
 * @example
 * ```ts
 * const result = runScenario(scenario, { seed: 7 });
 * result.held; // true when every invariant held
 * ```
 */
export function runScenario(scenario: Scenario, options: RunOptions = {}): SimulationResult {
  const seed = options.seed ?? scenario.seed;
  const { mutation, batchCreates = false, batchFinishes = false } = options;
  const clean = baselineFaults(scenario.faults);
  const baseline = hasFaults(scenario.faults) ? prepare(scenario, seed, clean, mutation) : null;
  if (baseline) runToEnd(baseline, scenario.until);
  const loop = new Loop(seed);
  const sim = prepare(scenario, loop.random.seed, scenario.faults, mutation, batchCreates, batchFinishes);
  loop.add(dyffActor(sim));
  const built = hasSystems(scenario.systems) ? systemActors(scenario.systems, loop.random) : null;
  for (const actor of built?.actors ?? []) loop.add(actor);
  const { onProgress } = options;
  loop.run(scenario.until, onProgress && ((now) => onProgress(now, scenario.until)));
  sim.backend.state.compact(); // as Kafka's cleaner would, before the state log is compared
  const systems = built && systemsResult(loop, built);
  const logs = { events: sim.backend.events.records(), states: sim.backend.state.records() };
  const checked = checkedRun(sim, baseline && finalStatuses(baseline), logs);
  const invariants = [...checked.invariants, ...(systems?.invariants ?? [])];
  const annotated = withCauses(sim.timeline, sim.notes, sim.recorder.stateHistory, logs.events);
  // One stream: every actor's entries and notes as the loop journaled them, in time order.
  const journal = inJournal(loop.journal, sim.timeline, annotated);
  const commands = sim.notes.filter((n) => n.type === "command");
  const events = sim.backend.events;
  const redelivered = events.stats().redelivered + sim.backend.state.stats().redelivered;
  return {
    seed,
    until: scenario.until === undefined ? null : scenario.until / 1000,
    end: loop.now / 1000,
    timeline: journal.filter((e): e is TimelineEntry => !isNote(e)),
    notes: journal.filter(isNote),
    journal,
    final: [...checked.final, ...(systems?.final ?? [])],
    invariants,
    held: invariants.every((i) => i.held),
    stats: {
      commands: {
        accepted: commands.filter((c) => c.refused === null).length,
        refused: commands.filter((c) => c.refused !== null).length,
      },
      events: events.stats().appended,
      states: sim.backend.state.stats().appended,
      redelivered,
      rewinds: events.stats().rewinds + sim.backend.state.stats().rewinds,
      crashes: sim.stats.crashes,
      rejections: sim.stats.rejections,
      rounds: sim.stats.rounds,
    },
    systems,
  };
}
