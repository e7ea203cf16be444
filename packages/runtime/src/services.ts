import { type RunningService, serviceNames, startService } from "@phasekit/adapter-memory";
import type { ControlPlanePorts, DeadLetterHook, Quotas, RejectionHook } from "@phasekit/core";
import type { Effect, Scope } from "effect";

/**
 * The five control-plane services, each started the same way and stepped by `runOnce(now)`, which
 * returns how much it did (0: nothing to do now): the simulator's own starter (`startService`), so
 * a `serve` process runs the services exactly as `simulate` does.
 *
 * @module
 */

export const controlPlaneServices = serviceNames;
export type ControlPlaneService = (typeof controlPlaneServices)[number];

/** A started service. */
export type StartedService = RunningService;

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
): Effect.Effect<StartedService, unknown, ControlPlanePorts | Scope.Scope> {
  return startService(name, setup.quotas, { ...setup, everyVersion: setup.everyVersion === true });
}
