import * as Effect from "effect/Effect";
import type * as Layer from "effect/Layer";
import type * as Scope from "effect/Scope";

/**
 * Runs one test's program against a layer, built afresh for this run (so no state leaks between
 * tests), inside a scope that closes every consumer the program opened.
 */
export function runWith<S, LE>(layer: Layer.Layer<S, LE>) {
  return <A, E>(program: Effect.Effect<A, E, S | Scope.Scope>): Promise<A> =>
    Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(layer)));
}

/** The error `effect` failed with; the test fails (with the value it got) when it succeeded instead. */
export function failureOf<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<E, never, R> {
  return Effect.result(effect).pipe(
    Effect.flatMap((result) =>
      result._tag === "Failure"
        ? Effect.succeed(result.failure)
        : Effect.die(new Error(`expected a failure, got ${JSON.stringify(result.success)}`)),
    ),
  );
}

/**
 * Reads until `done` holds or `attempts` reads were made, running `settle` between reads: the
 * contract's reads may lag (an informer's cache, a garbage collector), but must catch up.
 */
export function eventually<A, E, R>(
  read: Effect.Effect<A, E, R>,
  done: (value: A) => boolean,
  options: { readonly attempts: number; readonly settle: Effect.Effect<void> },
): Effect.Effect<A, E, R> {
  return Effect.gen(function* () {
    let value = yield* read;
    for (let i = 1; i < options.attempts && !done(value); i++) {
      yield* options.settle;
      value = yield* read;
    }
    return value;
  });
}
