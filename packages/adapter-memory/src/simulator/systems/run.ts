import type { FinalStatus, InvariantResult } from "../invariants.js";
import type { TimelineEntry } from "../timeline.js";
import type { SystemNote } from "./fields.js";
import { RayEngine } from "./ray/engine.js";
import { rayInvariants } from "./ray/invariants.js";
import { RunaiEngine } from "./runai/engine.js";
import { runaiInvariants } from "./runai/invariants.js";
import type { SystemsScenario } from "./scenario.js";
import type { WallarooDeploymentEngine } from "./wallaroo-deployment/engine.js";
import { runWallarooDeployments } from "./wallaroo-deployment/run.js";
import type { WallarooTasksEngine } from "./wallaroo-tasks/engine.js";
import { runWallarooTasks } from "./wallaroo-tasks/run.js";

/**
 * Runs the Run:ai and Ray parts of a scenario, each in its own engine on the same simulated clock
 * and seed, and gathers what they report in the simulator's terms: timeline entries, notes, final
 * statuses and invariants. The Dyff part runs in `Simulation`; `runScenario` merges the two.
 *
 * @module
 */

/** What the Run:ai and Ray engines produced. */
export interface SystemsResult {
  readonly timeline: readonly TimelineEntry[];
  readonly notes: readonly SystemNote[];
  readonly final: readonly FinalStatus[];
  readonly invariants: readonly InvariantResult[];
  /** Milliseconds: when the last engine stopped (0 with no engine). */
  readonly end: number;
  /** The engines, to query after the run (Ray's `get_metadata`, Run:ai's pods and jobs). */
  readonly runai: RunaiEngine | null;
  readonly ray: RayEngine | null;
  readonly wallaroo: WallarooDeploymentEngine | null;
  /** Wallaroo orchestrations and tasks: `lastRuns`, `lastRunStatus` and `logs` after the run. */
  readonly wallarooTasks: WallarooTasksEngine | null;
}

/** Simulated time after which an engine stops when the scenario gives no `until` (a year, as for Dyff). */
export const systemsHorizon = 365 * 86_400_000;

interface Engine {
  readonly now: number;
  nextDue(): number | undefined;
  advanceTo(until: number): void;
}

function runEngine(engine: Engine, until: number | undefined): void {
  if (until !== undefined) {
    engine.advanceTo(until);
    return;
  }
  for (let next = engine.nextDue(); next !== undefined && next <= systemsHorizon; next = engine.nextDue())
    engine.advanceTo(next);
}

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

/**
 * Runs the systems of a scenario to `until` (milliseconds) or, without it, until nothing is left to
 * happen. Deterministic: the same scenario and seed give the same result.
 *
 * @example
 * ```ts
 * const r = runSystems(scenario.systems, scenario.seed, scenario.until);
 * r.ray?.metadata("wf1"); // get_metadata("wf1") after the run
 * ```
 */
export function runSystems(systems: SystemsScenario, seed: number, until: number | undefined): SystemsResult {
  let runai: RunaiEngine | null = null;
  let ray: RayEngine | null = null;
  if (systems.runai) {
    runai = new RunaiEngine(systems.runai.section, seed);
    runai.plan(systems.runai.jobs, systems.runai.events);
    runEngine(runai, until);
  }
  if (systems.ray) {
    ray = new RayEngine(systems.ray.limits);
    ray.plan(systems.ray.workflows, systems.ray.events);
    runEngine(ray, until);
  }
  const wallaroo = systems.wallaroo ? runWallarooDeployments(systems.wallaroo, seed, until) : null;
  const tasks = systems.wallarooTasks ? runWallarooTasks(systems.wallarooTasks, until) : null;
  const timeline = [
    ...(runai?.timeline ?? []),
    ...(ray?.timeline ?? []),
    ...(wallaroo?.timeline ?? []),
    ...(tasks?.timeline ?? []),
  ].sort((a, b) => a.t - b.t);
  return {
    timeline,
    notes: [
      ...(runai?.notes ?? []),
      ...(ray?.notes ?? []),
      ...(wallaroo?.notes ?? []),
      ...(tasks?.notes ?? []),
    ].sort((a, b) => a.t - b.t),
    final: finalOf(timeline),
    invariants: [
      ...(runai ? runaiInvariants(runai) : []),
      ...(ray ? rayInvariants(ray) : []),
      ...(wallaroo?.invariants ?? []),
      ...(tasks?.invariants ?? []),
    ],
    end: Math.max(runai?.now ?? 0, ray?.now ?? 0, wallaroo?.end ?? 0, tasks?.end ?? 0),
    runai,
    ray,
    wallaroo: wallaroo?.engine ?? null,
    wallarooTasks: tasks?.engine ?? null,
  };
}
