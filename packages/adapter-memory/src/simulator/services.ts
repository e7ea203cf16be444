import {
  type ControlPlanePorts,
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
