import { randomUUID } from "node:crypto";
import { Effect, type Layer } from "effect";
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
