import type { Prng } from "../../prng.js";
import type { FinalStatus, InvariantResult } from "../invariants.js";
import { type Actor, type Emitted, Loop } from "../loop.js";
import type { Note, TimelineEntry } from "../timeline.js";
import type { SystemNote } from "./fields.js";
import { RayEngine } from "./ray/engine.js";
import { rayInvariants } from "./ray/invariants.js";
import { RunaiEngine } from "./runai/engine.js";
import { runaiInvariants } from "./runai/invariants.js";
import type { SystemsScenario } from "./scenario.js";
import { WallarooDeploymentEngine } from "./wallaroo-deployment/engine.js";
import { wallarooDeploymentInvariants } from "./wallaroo-deployment/invariants.js";
import { WallarooTasksEngine } from "./wallaroo-tasks/engine.js";
import { wallarooTasksInvariants } from "./wallaroo-tasks/invariants.js";

/**
 * The Run:ai, Ray and Wallaroo engines as actors of the one simulation loop ({@link Loop}): each
 * engine plans its part of the scenario, and the loop wakes it at each instant it is due, beside
 * Dyff's simulation (`runScenario` adds that actor). What they report comes out in the simulator's
 * terms: timeline entries, notes, final statuses and invariants.
 *
 * @module
 */

/** What the Run:ai, Ray and Wallaroo engines produced. */
export interface SystemsResult {
  readonly timeline: readonly TimelineEntry[];
  readonly notes: readonly SystemNote[];
  readonly final: readonly FinalStatus[];
  readonly invariants: readonly InvariantResult[];
  /** Milliseconds: when the run stopped (0 with no engine). */
  readonly end: number;
  /** The engines, to query after the run (Ray's `get_metadata`, Run:ai's pods and jobs). */
  readonly runai: RunaiEngine | null;
  readonly ray: RayEngine | null;
  readonly wallaroo: WallarooDeploymentEngine | null;
  /** Wallaroo orchestrations and tasks: `lastRuns`, `lastRunStatus` and `logs` after the run. */
  readonly wallarooTasks: WallarooTasksEngine | null;
}

/** What the loop needs of an engine: its queue, its clock, and what it records. */
interface Engine {
  readonly timeline: readonly TimelineEntry[];
  readonly notes: readonly SystemNote[];
  nextDue(): number | undefined;
  advanceTo(until: number): void;
}

/** An engine as an actor of the loop, with its invariants, to check at the end of the run. */
export interface SystemActor extends Actor {
  invariants(): InvariantResult[];
}

/**
 * An engine as an actor: woken at each instant it is due (`nextEvent`, when the engine knows of
 * work its `nextDue` does not count), it emits what it recorded, status changes before notes at
 * each instant.
 */
function engineActor(
  system: string,
  engine: Engine,
  invariants: () => InvariantResult[],
  nextEvent: () => number | undefined = () => engine.nextDue(),
): SystemActor {
  let entries = 0;
  let notes = 0;
  return {
    system,
    nextEvent,
    nextDue: () => engine.nextDue(),
    advanceTo: (at) => engine.advanceTo(at),
    drain: () => {
      const out: Emitted[] = engine.timeline.slice(entries);
      for (const n of engine.notes.slice(notes)) out.push({ ...n, type: "system" });
      entries = engine.timeline.length;
      notes = engine.notes.length;
      return out;
    },
    tier: (e) => ("type" in e ? 1 : 0),
    invariants,
  };
}

/** The engines of a scenario's systems, planned, as actors; `random` is the loop's one random source. */
export function systemActors(systems: SystemsScenario, random: Prng) {
  const runai = systems.runai ? new RunaiEngine(systems.runai.section, random) : null;
  runai?.plan(systems.runai!.jobs, systems.runai!.events);
  const ray = systems.ray ? new RayEngine(systems.ray.limits) : null;
  ray?.plan(systems.ray!.workflows, systems.ray!.events);
  const wallaroo = systems.wallaroo ? new WallarooDeploymentEngine(random.seed) : null;
  wallaroo?.plan(systems.wallaroo!.deployments, systems.wallaroo!.events);
  const tasks = systems.wallarooTasks ? new WallarooTasksEngine() : null;
  const part = systems.wallarooTasks;
  if (tasks && part) tasks.plan(part.orchestrations, part.tasks, part.events);
  const actors: SystemActor[] = [
    ...(runai ? [engineActor("runai", runai, () => runaiInvariants(runai))] : []),
    ...(ray ? [engineActor("ray", ray, () => rayInvariants(ray))] : []),
    ...(wallaroo
      ? [
          engineActor(
            "wallaroo",
            wallaroo,
            () => wallarooDeploymentInvariants(wallaroo),
            () => wallaroo.nextEvent(),
          ),
        ]
      : []),
    ...(tasks ? [engineActor("wallaroo", tasks, () => wallarooTasksInvariants(tasks))] : []),
  ];
  return { actors, engines: { runai, ray, wallaroo, wallarooTasks: tasks } };
}

/** True when the scenario has any system besides Dyff. */
export const hasSystems = (systems: SystemsScenario | undefined): systems is SystemsScenario =>
  systems !== undefined &&
  (systems.runai !== null ||
    systems.ray !== null ||
    (systems.wallaroo ?? null) !== null ||
    (systems.wallarooTasks ?? null) !== null);

/** The last status of each id, in order of first appearance. */
export function finalOf(timeline: readonly TimelineEntry[]): FinalStatus[] {
  const last = new Map<string, FinalStatus>();
  for (const { system, kind, id, status, reason } of timeline) {
    last.delete(id);
    last.set(id, { system, kind, id, status, reason });
  }
  const order = new Map<string, number>();
  timeline.forEach((e, i) => {
    if (!order.has(e.id)) order.set(e.id, i);
  });
  return [...last.values()].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

const isNote = (e: Emitted): e is Note => "type" in e;

/** The systems' part of a run, read from the loop's journal once it ended. */
export function systemsResult(
  loop: Loop,
  built: ReturnType<typeof systemActors>,
  journal: readonly Emitted[] = loop.journal,
): SystemsResult {
  const mine = journal.filter((e) => (isNote(e) ? e.type === "system" : e.system !== "dyff"));
  const timeline = mine.filter((e): e is TimelineEntry => !isNote(e));
  const notes = mine.flatMap((e) =>
    isNote(e) && e.type === "system"
      ? [{ t: e.t, system: e.system as SystemNote["system"], id: e.id, text: e.text }]
      : [],
  );
  return {
    timeline,
    notes,
    final: finalOf(timeline),
    invariants: built.actors.flatMap((a) => a.invariants()),
    end: built.actors.length === 0 ? 0 : loop.now,
    ...built.engines,
  };
}

/**
 * Runs the systems of a scenario, without Dyff, on one loop to `until` (milliseconds) or, without
 * it, until nothing is left to happen. Deterministic: the same scenario and seed give the same result.
 *
 * @example
 * ```ts
 * const r = runSystems(scenario.systems, scenario.seed, scenario.until);
 * r.ray?.metadata("wf1"); // get_metadata("wf1") after the run
 * ```
 */
export function runSystems(systems: SystemsScenario, seed: number, until: number | undefined): SystemsResult {
  const loop = new Loop(seed);
  const built = systemActors(systems, loop.random);
  for (const actor of built.actors) loop.add(actor);
  loop.run(until);
  return systemsResult(loop, built);
}
