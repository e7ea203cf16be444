import { type KafkaConfigInput, KafkaDeadLetters, layerKafka } from "@phasekit/adapter-kafka";
import { type MemoryBackendShape, makeMemoryBackend } from "@phasekit/adapter-memory";
import {
  Authorizer,
  Cluster,
  type ControlPlanePorts,
  type DeadLetterHook,
  EventLog,
  KeyValue,
  type Principal,
  StateLog,
  ViewStore,
} from "@phasekit/core";
import { Context, Effect, Layer, Option } from "effect";
import type { SharedStores } from "./stores.js";

/**
 * Where the control plane's ports live, as data: one description that `simulate`, `simulate
 * --kafka`, `serve` and `serve api` all turn into the Layers their services run over. Every part
 * left out stays in the process's memory (the memory adapter), so `{}` is the embedded default and
 * the full multi-process layout names every part:
 *
 * | part       | ports                         | left out                      |
 * | ---------- | ----------------------------- | ----------------------------- |
 * | `kafka`    | EventLog, StateLog, the DLQ   | the memory logs               |
 * | `stores`   | KeyValue (etcd), ViewStore    | the memory key-value and view |
 * | `cluster`  | Cluster (a real API server)   | the memory (simulated) cluster |
 * | `tokens`   | Authorizer                    | no token: every command refused |
 *
 * @module
 */

/** The ports every backend serves: the control plane's and the command API's authorizer. */
export type BackendPorts = ControlPlanePorts | Authorizer;

/**
 * A backend: which ports live where (see the module comment).
 *
 * @example
 * ```ts
 * const backend: Backend = {
 *   kafka: { brokers: ["127.0.0.1:19092"], prefix: "dyff" },
 *   stores: await sharedStores({ kv: "etcd://127.0.0.1:22379" }, "dyff"),
 * };
 * ```
 */
export interface Backend {
  /** The event log, the state log and the dead-letter topic on Kafka. Left out: the memory logs. */
  readonly kafka?: KafkaConfigInput | undefined;
  /** The key-value store (etcd) and the query view (PostgreSQL) on shared servers; see `sharedStores`. */
  readonly stores?: SharedStores | undefined;
  /**
   * The cluster port (what the operator writes and the informer watches) on a real Kubernetes API
   * server (`--kube`). Left out: the memory cluster, whose work only the simulator's cluster player
   * runs.
   */
  readonly cluster?: { readonly layer: Layer.Layer<Cluster, unknown>; readonly where: string } | undefined;
  /** What each bearer token grants the command API. */
  readonly tokens?: Readonly<Record<string, Principal>> | undefined;
  /** The memory parts, open for inspection (default: a fresh memory backend with `tokens`). */
  readonly memory?: MemoryBackendShape | undefined;
}

/**
 * The Layer of a backend's ports: each part where the description puts it, the memory backend for
 * the rest. With `kafka` it also serves `KafkaDeadLetters` (see {@link deadLetterHook}).
 *
 * @example
 * ```ts
 * const layer = layerBackend({ kafka: { brokers: ["127.0.0.1:19092"], prefix: "dyff" } });
 * await Effect.runPromise(program.pipe(Effect.provide(layer)));
 * ```
 */
export function layerBackend(backend: Backend): Layer.Layer<BackendPorts, unknown> {
  const memory = backend.memory ?? makeMemoryBackend(backend.tokens ? { tokens: backend.tokens } : {});
  const logs = backend.kafka
    ? layerKafka(backend.kafka)
    : Layer.succeedContext(
        Context.make(EventLog, memory.events.port).pipe(Context.add(StateLog, memory.state.port)),
      );
  return Layer.mergeAll(
    logs,
    Layer.succeed(Authorizer, memory.authorizer.port),
    backend.cluster?.layer ?? Layer.succeed(Cluster, memory.cluster.port),
    backend.stores?.kv?.layer ?? Layer.succeed(KeyValue, memory.keyValue.port),
    backend.stores?.view?.layer ?? Layer.succeed(ViewStore, memory.view.port),
  );
}

/**
 * A dead-letter hook that also puts the record on Kafka's dead-letter topic when the backend has
 * one, then calls `also`.
 */
export const deadLetterHook = (also?: DeadLetterHook): Effect.Effect<DeadLetterHook> =>
  Effect.map(Effect.serviceOption(KafkaDeadLetters), (dlq): DeadLetterHook => {
    const kafka = Option.getOrUndefined(dlq)?.hook;
    if (kafka === undefined) return also ?? (() => Effect.void);
    return also ? (letter) => Effect.andThen(kafka(letter), also(letter)) : kafka;
  });

/** One line saying where each part of a backend lives, for a process's start-up message. */
export function describeBackend(backend: Backend): string {
  const kafka = backend.kafka;
  const brokers = kafka && (Array.isArray(kafka.brokers) ? kafka.brokers.join(",") : String(kafka.brokers));
  return [
    `logs: ${kafka ? `Kafka ${brokers}, topics ${kafka.prefix ?? "dyff"}.workflows.{events,state,dlq}` : "memory"}`,
    `key-value store: ${backend.stores?.kv?.where ?? "memory"}`,
    `view: ${backend.stores?.view?.where ?? "memory"}`,
    `cluster: ${backend.cluster?.where ?? "memory"}`,
  ].join("; ");
}
