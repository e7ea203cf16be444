import type { DeadLetter, DeadLetterHook } from "@phasekit/core";
import { Cause, Effect, Exit } from "effect";
import type { Prng } from "../prng.js";

/**
 * Small pure parts of the simulation loop (`simulation.ts`): how a command's refusal reads in the
 * notes, the hooks every service is started with, and a seeded shuffle of the round's services.
 *
 * @module
 */

/**
 * How a command ended, as the notes show it: null when it was accepted, else the refusal's code
 * (CommandRefused carries one: Terminal, NotFound, DependencyDeleted...) or the error's tag, and its
 * message.
 *
 * @example
 * ```ts
 * refusalOf(Exit.succeed(undefined)); // null
 * ```
 */
export function refusalOf(exit: Exit.Exit<unknown, unknown>): string | null {
  if (Exit.isSuccess(exit)) return null;
  const error = Cause.squash(exit.cause) as { _tag?: string; code?: string; message?: string };
  return `${error.code ?? error._tag ?? "Error"}: ${error.message ?? String(error)}`;
}

/**
 * The hooks a simulated service is started with: a dead letter becomes a line for the run's errors
 * (after `also`, the backend's own hook, when there is one); a rejection is counted.
 *
 * @example
 * ```ts
 * const hooks = serviceHooks({ onError: (line) => errors.push(line), onRejected: () => rejections++ });
 * ```
 */
export function serviceHooks(options: {
  readonly onError: (line: string) => void;
  readonly onRejected: () => void;
  readonly also?: DeadLetterHook | undefined;
}) {
  const { onError, onRejected, also } = options;
  return {
    onDeadLetter: (l: DeadLetter) => {
      const noted = Effect.sync(() => onError(`${l.consumer} dead-lettered ${l.key}: ${l.error.message}`));
      return also ? Effect.andThen(also(l), noted) : noted;
    },
    onRejected: () => Effect.sync(onRejected),
  };
}

/**
 * `items` shuffled in place by Fisher-Yates with draws from `prng`, and returned.
 *
 * @example
 * ```ts
 * shuffled(["aggregator", "sink"], makePrng(1));
 * ```
 */
export function shuffled<T>(items: T[], prng: Prng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
