import {
  type ControlPlanePorts,
  consumerGroups,
  type DeadLetterHook,
  makeAggregator,
  makeInformer,
  makeOperator,
  makeOrchestrator,
  makeSink,
  type Quotas,
  type RejectionHook,
} from "@phasekit/core";
import { Effect, type Scope } from "effect";
import type { MemoryBackendShape } from "../backend.js";

/**
 * The control-plane services the simulator interleaves, each started the same way and stepped by
 * `runOnce(now)`, which returns how much it did (0: nothing to do).
 *
 * @module
 */

export const serviceNames = ["aggregator", "sink", "orchestrator", "operator", "informer"] as const;
export type ServiceName = (typeof serviceNames)[number];

/** A started service. */
export interface RunningService {
  readonly runOnce: (now: string) => Effect.Effect<number, unknown>;
  /**
   * True when a run now would provably do nothing (see {@link skippingIdle}): the loop then counts
   * the run as done with 0 without building or running an Effect. Absent: always run.
   */
  readonly idle?: () => boolean;
  /**
   * `runOnce` without asking `idle()` again: for a caller that just asked it and got false (the
   * synchronous loop), so that a service with work pays for the check once. Absent: `runOnce`.
   */
  readonly runBusy?: (now: string) => Effect.Effect<number, unknown>;
}

/** What the services report besides their work: records nobody could decode, events the aggregator refused. */
export interface ServiceHooks {
  readonly onDeadLetter: DeadLetterHook;
  readonly onRejected?: RejectionHook | undefined;
  /** Records per poll (default: the consumers' own, 500). */
  readonly maxRecords?: number | undefined;
  /** The sink writes every version of a batch, not only each id's newest (default true; see below). */
  readonly everyVersion?: boolean | undefined;
}

/**
 * Starts one service in the current scope, over any ports (the simulator's, or a `serve` process's
 * on Kafka); closing the scope stops it without committing. The sink writes every version of each
 * batch it takes (`everyVersion`, unless set false), so the query view passes through every version
 * the state log holds, as the timeline needs (one upsert per newest version would leave the view
 * right, the timeline shorter).
 */
export function startService(
  name: ServiceName,
  quotas: Quotas,
  hooks: ServiceHooks,
  idleOn?: MemoryBackendShape,
): Effect.Effect<RunningService, unknown, ControlPlanePorts | Scope.Scope> {
  return Effect.map(startPlain(name, quotas, hooks), (s) => skippingIdle(name, s, idleOn));
}

/**
 * The backend to watch for idle services (see {@link skippingIdle}), or undefined when a delivery
 * fault is injected (duplicates, crashes, reordering, stale reads draw from the seed on each poll).
 *
 * @example
 * ```ts
 * startService("sink", quotas, hooks, skipIdleOn(setup.faults, backend));
 * ```
 */
export const skipIdleOn = (
  f: { duplicate: number; crashBeforeCommit: number; reorder: boolean; staleReads: number },
  backend: MemoryBackendShape,
): MemoryBackendShape | undefined =>
  f.duplicate === 0 && f.crashBeforeCommit === 0 && !f.reorder && f.staleReads === 0 ? backend : undefined;

function startPlain(
  name: ServiceName,
  quotas: Quotas,
  hooks: ServiceHooks,
): Effect.Effect<RunningService, unknown, ControlPlanePorts | Scope.Scope> {
  const { onDeadLetter, onRejected } = hooks;
  const batch = hooks.maxRecords === undefined ? {} : { maxRecords: hooks.maxRecords };
  switch (name) {
    case "aggregator":
      return Effect.map(
        makeAggregator({ onDeadLetter, ...batch, ...(onRejected && { onRejected }) }),
        (s) => ({
          runOnce: () => s.runOnce(),
        }),
      );
    case "sink":
      return Effect.map(
        makeSink({ onDeadLetter, ...batch, ...(hooks.everyVersion !== false && { everyVersion: true }) }),
        (s) => ({ runOnce: () => s.runOnce() }),
      );
    case "orchestrator":
      return Effect.map(makeOrchestrator({ quotas, onDeadLetter, ...batch }), (s) => ({
        runOnce: s.runOnce,
      }));
    case "operator":
      return Effect.map(makeOperator(), (s) => ({ runOnce: s.runOnce }));
    case "informer":
      return Effect.map(makeInformer(), (s) => ({ runOnce: s.runOnce }));
  }
}

/** Set false to run every service every round (the tests compare both ways). */
export const idleSkipping = { enabled: true };

/**
 * `service`, answering 0 without running when its run would provably do nothing: ~60% of a settle's
 * runs find nothing (issue 17). Only without delivery faults (`backend`: undefined otherwise), where
 * an empty poll, an unchanged cluster feed or a quiet decision has no effect and draws nothing from
 * the seed. A log reader is idle when its group has nothing uncommitted (the orchestrator also when
 * its last run did nothing: it decides again after any run that acted); the operator when the
 * cluster has not been written since its last run read it and that run did nothing (a run that acted
 * looks again); the informer when the cluster has not been written since its last run read it.
 * The check is also exposed as `idle()`, so that the synchronous loop skips an idle run without an
 * Effect at all (~25 of a Kueue-like workload's ~42 runs; `runOnce` still answers 0 by itself).
 *
 * @example
 * ```ts
 * const service = skippingIdle("sink", started, backend); // backend: the memory backend, no delivery faults
 * ```
 */
export function skippingIdle(
  name: ServiceName,
  service: RunningService,
  backend: MemoryBackendShape | undefined,
): RunningService {
  if (!backend) return service;
  let last = -1;
  let seen = -1;
  const idle = (): boolean => {
    if (!idleSkipping.enabled || last < 0) return false;
    if (name === "informer") return backend.cluster.revision() === seen;
    if (name === "operator") return last === 0 && backend.cluster.revision() === seen;
    const { log, group } = consumerGroups[name];
    return (name !== "orchestrator" || last === 0) && backend[log].uncommitted(group) === 0;
  };
  // A run that fails leaves `last` at -1: the next one runs.
  const runBusy = (now: string) => {
    const revision = backend.cluster.revision();
    last = -1;
    return Effect.map(service.runOnce(now), (done) => {
      last = done;
      seen = revision;
      return done;
    });
  };
  return {
    idle,
    runBusy,
    runOnce: (now) => Effect.suspend(() => (idle() ? Effect.succeed(0) : runBusy(now))),
  };
}
