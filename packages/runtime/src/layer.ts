import { randomUUID } from "node:crypto";
import { Cause, Effect, Exit, Layer, Scope } from "effect";
import type { ApiBackend, ApiPorts } from "./api/handlers.js";

/**
 * An API backend over any Layers that serve the command API's ports (Kafka's event log, a database's
 * view, an authorizer): each request's program runs with the layer provided. The view lags the
 * event log there (CQRS), so a read right after a write may not see it yet.
 *
 * @example
 * ```ts
 * const backend = backendFromLayer(Layer.mergeAll(eventLogOnKafka, viewOnPostgres, authorizer));
 * ```
 */
export function backendFromLayer<E>(layer: Layer.Layer<ApiPorts, E>): ApiBackend {
  return {
    run: (effect) => Effect.runPromiseExit(Effect.provide(effect, layer)) as never,
    now: () => new Date().toISOString(),
    newId: () => randomUUID().replaceAll("-", ""),
  };
}

/** A backend whose layer was built once, and how to close what it opened. */
export interface OpenBackend {
  readonly backend: ApiBackend;
  readonly close: () => Promise<void>;
}

/**
 * Builds `layer` once (connections to Kafka, the view's database) and serves every request from
 * it, unlike {@link backendFromLayer}, which builds the layer for each request. Rejects with the
 * layer's error when it cannot be built (a broker or database that does not answer).
 *
 * @example
 * ```ts
 * const { backend, close } = await openBackend(Layer.mergeAll(layerKafka(k), layerPostgres(p), authorizer));
 * const api = await startApiServer({ backend, authenticate });
 * // ...
 * await api.close();
 * await close();
 * ```
 */
export async function openBackend<E>(layer: Layer.Layer<ApiPorts, E>): Promise<OpenBackend> {
  const scope = Effect.runSync(Scope.make());
  const built = await Effect.runPromiseExit(Layer.buildWithScope(layer, scope));
  if (Exit.isFailure(built)) {
    await Effect.runPromise(Scope.close(scope, Exit.void));
    throw Cause.squash(built.cause);
  }
  const context = built.value;
  return {
    backend: {
      run: (effect) => Effect.runPromiseExit(Effect.provideContext(effect, context)) as never,
      now: () => new Date().toISOString(),
      newId: () => randomUUID().replaceAll("-", ""),
    },
    close: () => Effect.runPromise(Scope.close(scope, Exit.void)),
  };
}
