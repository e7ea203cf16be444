import * as Effect from "effect/Effect";
import type * as Scope from "effect/Scope";
import type { Cluster, ClusterError } from "../ports/Cluster.js";
import type { EventLog } from "../ports/EventLog.js";
import type { KeyValue, KeyValueError } from "../ports/KeyValue.js";
import type { LogError } from "../ports/Log.js";
import type { StateLog } from "../ports/StateLog.js";
import type { ViewStore, ViewStoreError } from "../ports/ViewStore.js";
import { type Aggregator, makeAggregator, type RejectionHook } from "./aggregator.js";
import type { DeadLetterHook } from "./consume.js";
import { type Informer, makeInformer } from "./informer.js";
import { makeOperator, type Operator, type OperatorOptions } from "./operator.js";
import { makeOrchestrator, type Orchestrator } from "./orchestrator.js";
import type { Quotas } from "./scheduling.js";
import { makeSink, type Sink } from "./sink.js";

/**
 * The whole control plane in one process: the five services of the walkthrough, each with its own
 * `runOnce`. A driver that wants to interleave them (the simulator, with faults between steps) uses
 * the services one by one; one that just wants them to run (`phasekit serve`, tests) calls `runOnce`
 * (one round over all five) or `settle` (rounds until nothing happens).
 *
 * @module
 */

/** Every error a service's `runOnce` can fail with. */
export type ControlPlaneError = LogError | KeyValueError | ClusterError | ViewStoreError;

export interface ControlPlane {
  readonly aggregator: Aggregator;
  readonly sink: Sink;
  readonly orchestrator: Orchestrator;
  readonly operator: Operator;
  readonly informer: Informer;
  /** One round: aggregator, sink, orchestrator, operator, informer; returns the work done (0: quiet). */
  readonly runOnce: (now: string) => Effect.Effect<number, ControlPlaneError>;
  /** Rounds at time `now` until one does nothing, at most `maxRounds` (default 100); returns the rounds that did work. */
  readonly settle: (now: string, maxRounds?: number) => Effect.Effect<number, ControlPlaneError>;
}

export interface ControlPlaneOptions {
  readonly quotas?: Quotas;
  readonly onDeadLetter?: DeadLetterHook;
  readonly onRejected?: RejectionHook;
  readonly operator?: OperatorOptions;
}

/** Every port the control plane uses (the command API adds the Authorizer). */
export type ControlPlanePorts = EventLog | StateLog | KeyValue | Cluster | ViewStore;

/**
 * Starts the five services in one scope; closing the scope stops them without committing, as a crash
 * would.
 *
 * @example
 * ```ts
 * const program = Effect.scoped(Effect.gen(function* () {
 *   const plane = yield* makeControlPlane({ quotas: { alice: { gpu: 1 } } });
 *   yield* plane.settle("2026-01-01T00:00:00Z");
 * }));
 * ```
 */
export const makeControlPlane = (
  options: ControlPlaneOptions = {},
): Effect.Effect<ControlPlane, LogError | KeyValueError, ControlPlanePorts | Scope.Scope> =>
  Effect.gen(function* () {
    const hooks = {
      ...(options.onDeadLetter ? { onDeadLetter: options.onDeadLetter } : {}),
      ...(options.onRejected ? { onRejected: options.onRejected } : {}),
    };
    const aggregator = yield* makeAggregator(hooks);
    const sink = yield* makeSink(hooks);
    const orchestrator = yield* makeOrchestrator({ ...hooks, quotas: options.quotas ?? {} });
    const operator = yield* makeOperator(options.operator ?? {});
    const informer = yield* makeInformer();
    const runOnce = (now: string) =>
      Effect.gen(function* () {
        let work = yield* aggregator.runOnce();
        work += yield* sink.runOnce();
        work += yield* orchestrator.runOnce(now);
        work += yield* operator.runOnce(now);
        work += yield* informer.runOnce(now);
        return work;
      });
    const settle = (now: string, maxRounds = 100) =>
      Effect.gen(function* () {
        let rounds = 0;
        while (rounds < maxRounds && (yield* runOnce(now)) > 0) rounds++;
        return rounds;
      });
    return { aggregator, sink, orchestrator, operator, informer, runOnce, settle };
  });
