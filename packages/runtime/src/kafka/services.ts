import {
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
import type { ServedPorts } from "./ports.js";

/**
 * The five control-plane services, each started the same way and stepped by `runOnce(now)`, which
 * returns how much it did (0: nothing to do now).
 *
 * @module
 */

export const controlPlaneServices = ["aggregator", "sink", "orchestrator", "operator", "informer"] as const;
export type ControlPlaneService = (typeof controlPlaneServices)[number];

/** The services that consume a log, with the log and their default consumer group. */
export const consumerGroups = {
  aggregator: { log: "events", group: "phasekit.workflows-aggregator" },
  sink: { log: "state", group: "phasekit.workflows-sink" },
  orchestrator: { log: "state", group: "phasekit.orchestrator" },
} as const;

/** A started service. */
export interface StartedService {
  readonly runOnce: (now: string) => Effect.Effect<number, unknown>;
}

export interface ServiceSetup {
  readonly quotas: Quotas;
  readonly onDeadLetter: DeadLetterHook;
  readonly onRejected?: RejectionHook;
  /** Records per poll (default 500). */
  readonly maxRecords?: number;
  /** The sink writes every version of a batch, not only the newest of each id (see `makeSink`). */
  readonly everyVersion?: boolean;
}

/** Starts one service in the current scope; closing the scope stops it without committing. */
export function startControlPlaneService(
  name: ControlPlaneService,
  setup: ServiceSetup,
): Effect.Effect<StartedService, unknown, ServedPorts | Scope.Scope> {
  const { onDeadLetter, quotas } = setup;
  const batch = setup.maxRecords === undefined ? {} : { maxRecords: setup.maxRecords };
  switch (name) {
    case "aggregator":
      return Effect.map(
        makeAggregator({ onDeadLetter, ...batch, ...(setup.onRejected && { onRejected: setup.onRejected }) }),
        (s) => ({ runOnce: () => s.runOnce() }),
      );
    case "sink":
      return Effect.map(
        makeSink({ onDeadLetter, ...batch, ...(setup.everyVersion && { everyVersion: true }) }),
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
