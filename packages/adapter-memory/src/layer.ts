import { Authorizer, Cluster, EventLog, KeyValue, StateLog, ViewStore } from "@phasekit/core";
import { Context, Layer } from "effect";
import { type MemoryBackendShape, type MemoryOptions, makeMemoryBackend } from "./backend.js";

/** Every port the memory backend serves. */
export type MemoryPorts = EventLog | StateLog | KeyValue | Cluster | ViewStore | Authorizer;

/**
 * The memory backend as a service, for Effect programs (tests, the simulator) that inspect it or
 * inject faults while they run.
 *
 * @example
 * ```ts
 * const program = Effect.gen(function* () {
 *   const backend = yield* MemoryBackend;
 *   backend.setFaults({ duplicate: 0.5 });
 * });
 * ```
 */
export class MemoryBackend extends Context.Service<MemoryBackend, MemoryBackendShape>()(
  "@phasekit/adapter-memory/MemoryBackend",
) {}

/**
 * Every port, served by an existing backend (which the caller keeps to inspect it), plus the
 * `MemoryBackend` service. Each program it is provided to shares that backend's state.
 *
 * @example
 * ```ts
 * const backend = makeMemoryBackend({ seed: 7 });
 * await Effect.runPromise(program.pipe(Effect.provide(layerMemoryBackend(backend))));
 * backend.events.records();
 * ```
 */
export function layerMemoryBackend(backend: MemoryBackendShape): Layer.Layer<MemoryPorts | MemoryBackend> {
  return Layer.succeedContext(
    Context.make(EventLog, backend.events.port).pipe(
      Context.add(StateLog, backend.state.port),
      Context.add(KeyValue, backend.keyValue.port),
      Context.add(Cluster, backend.cluster.port),
      Context.add(ViewStore, backend.view.port),
      Context.add(Authorizer, backend.authorizer.port),
      Context.add(MemoryBackend, backend),
    ),
  );
}

/**
 * Every port in memory, with a fresh, empty backend each time the layer is built (so each
 * `Effect.provide` starts clean); `yield* MemoryBackend` reaches it. Options are checked at once.
 *
 * @example
 * ```ts
 * const program = Effect.gen(function* () {
 *   const events = yield* EventLog;
 *   yield* events.append([{ key: "e1", value: "{}" }]);
 *   return (yield* MemoryBackend).events.records().length;
 * });
 * await Effect.runPromise(program.pipe(Effect.provide(layerMemory({ seed: 1 })))); // 1
 * ```
 */
export function layerMemory(options: MemoryOptions = {}): Layer.Layer<MemoryPorts | MemoryBackend> {
  makeMemoryBackend(options); // bad options fail here, where the caller can see them, not at build time
  return Layer.suspend(() => layerMemoryBackend(makeMemoryBackend(options)));
}
