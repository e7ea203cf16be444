import { Cause, Effect, Exit } from "effect";

/**
 * The simulation loop written once, run two ways. Its operations are generators that yield each
 * Effect they need run (a service's `runOnce`, a command, a write to the cluster) and get back how
 * it ended. A driver runs the yielded Effects: {@link runSteps} synchronously (the memory ports,
 * where every Effect is synchronous: the simulator's fast path), {@link runStepsAsync} as Promises
 * (ports on a real Kafka, etcd or database). The loop does not know which one runs it.
 *
 * @module
 */

/** An Effect the loop needs run. */
export type Step = Effect.Effect<unknown, unknown>;

/** A loop operation: yields Steps, is resumed with each one's Exit, returns `A`. */
export type Steps<A> = Generator<Step, A, Exit.Exit<unknown, unknown>>;

/**
 * Runs `effect` through whichever driver runs the loop, and returns its Exit.
 *
 * @example
 * ```ts
 * function* twice(): Steps<number> {
 *   const exit = yield* exec(Effect.succeed(21));
 *   return Exit.isSuccess(exit) ? exit.value * 2 : 0;
 * }
 * runSteps(twice()); // 42
 * ```
 */
export function* exec<A, E>(
  effect: Effect.Effect<A, E>,
): Generator<Step, Exit.Exit<A, E>, Exit.Exit<unknown, unknown>> {
  return (yield effect) as Exit.Exit<A, E>;
}

/** Runs `effect` and returns its value; a failure is thrown, as `Effect.runSync` throws it. */
export function* execOrThrow<A, E>(
  effect: Effect.Effect<A, E>,
): Generator<Step, A, Exit.Exit<unknown, unknown>> {
  const exit = yield* exec(effect);
  if (Exit.isFailure(exit)) throw Cause.squash(exit.cause);
  return exit.value;
}

/**
 * Drives steps synchronously: each yielded Effect must be synchronous (an asynchronous one ends
 * in a failed Exit, as `Effect.runSyncExit` says).
 *
 * @example
 * ```ts
 * runSteps(exec(Effect.succeed(1))); // Exit.succeed(1)
 * ```
 */
export function runSteps<A>(steps: Steps<A>): A {
  let next = steps.next();
  while (!next.done) next = steps.next(Effect.runSyncExit(next.value));
  return next.value;
}

/**
 * Drives steps asynchronously, one Effect at a time, in order.
 *
 * @example
 * ```ts
 * await runStepsAsync(exec(Effect.promise(() => fetchSomething())));
 * ```
 */
export async function runStepsAsync<A>(steps: Steps<A>): Promise<A> {
  let next = steps.next();
  while (!next.done) next = steps.next(await Effect.runPromiseExit(next.value));
  return next.value;
}

/** Waits for what an action returned when it is a Promise (an action of an asynchronous driver). */
export function* awaitResult(result: unknown): Steps<void> {
  if (result instanceof Promise) yield* execOrThrow(Effect.promise(() => result));
}
