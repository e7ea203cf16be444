import type { ControlPlanePorts } from "@phasekit/core";
import { Cause, Effect, Exit, type Scope } from "effect";
import { type ControlPlaneService, type ServiceSetup, startControlPlaneService } from "./services.js";

/**
 * Keeps one service running for the life of a process: start it, call `runOnce` again and again,
 * and when anything fails (the broker went away, a commit was refused) close its scope, which drops
 * what it had not committed, wait, and start it again. What it had not committed is then read again:
 * the at-least-once recovery the services are built for.
 *
 * @module
 */

/** What a supervised service reports. */
export interface SupervisorEvents {
  readonly started: (name: ControlPlaneService, attempt: number) => void;
  readonly worked: (name: ControlPlaneService, work: number) => void;
  readonly failed: (name: ControlPlaneService, error: string, retryInMs: number) => void;
}

export interface SuperviseOptions extends ServiceSetup {
  /** Pause after a round that did nothing, milliseconds (polls also wait for records). */
  readonly idleMs: number;
  /** The wall-clock time, as the services record it. */
  readonly now: () => string;
  readonly events: SupervisorEvents;
}

/** Backoff after consecutive failures: 0.5 s, 1 s, 2 s, ... at most 10 s. */
export const restartDelayMs = (failures: number): number =>
  Math.min(10_000, 500 * 2 ** Math.max(0, failures - 1));

const describe = (cause: Cause.Cause<unknown>) => {
  const error = Cause.squash(cause);
  return error instanceof Error ? error.message : String(error);
};

/** Runs `name` until interrupted; never fails. */
export const supervise = (
  name: ControlPlaneService,
  options: SuperviseOptions,
): Effect.Effect<never, never, ControlPlanePorts> =>
  Effect.gen(function* () {
    let failures = 0;
    for (let attempt = 1; ; attempt++) {
      const run: Effect.Effect<never, unknown, ControlPlanePorts | Scope.Scope> = Effect.gen(function* () {
        const service = yield* startControlPlaneService(name, options);
        options.events.started(name, attempt);
        for (;;) {
          const work = yield* service.runOnce(options.now());
          if (work > 0) {
            failures = 0;
            options.events.worked(name, work);
          } else yield* Effect.sleep(options.idleMs);
        }
      });
      const exit = yield* Effect.exit(Effect.scoped(run));
      if (Exit.isSuccess(exit)) continue;
      if (Cause.hasInterruptsOnly(exit.cause)) return yield* Effect.interrupt;
      failures++;
      const delay = restartDelayMs(failures);
      options.events.failed(name, describe(exit.cause), delay);
      yield* Effect.sleep(delay);
    }
  });
