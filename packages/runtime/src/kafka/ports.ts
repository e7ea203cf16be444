import type { KafkaConfigInput, KafkaDeadLetters, KafkaPorts } from "@phasekit/adapter-kafka";
import type { MemoryBackendShape } from "@phasekit/adapter-memory";
import type { Authorizer, ControlPlanePorts } from "@phasekit/core";
import type { Layer } from "effect";
import { layerBackend } from "../backend.js";
import type { SharedStores } from "./stores.js";

/**
 * The ports a Kafka-backed process serves: the event log, the state log and the dead-letter queue on
 * Kafka; the key-value store on etcd and the query view on PostgreSQL when the process was given
 * them (`stores`), else in its memory; the cluster and the authorizer in its memory. So the
 * operator and the informer run in the process of the orchestrator (they share its cluster); with
 * the key-value store on etcd the orchestrator's admission records outlive that process.
 *
 * @module
 */

export type ServedPorts = ControlPlanePorts | Authorizer | KafkaDeadLetters;

/** Kafka's logs, `stores` where given, and `backend`'s key-value store, cluster, view and authorizer for the rest. */
export function layerServed(
  kafka: KafkaConfigInput,
  backend?: MemoryBackendShape,
  stores: SharedStores = {},
): Layer.Layer<ServedPorts | KafkaPorts, unknown> {
  return layerBackend({ kafka, memory: backend, stores }) as Layer.Layer<ServedPorts | KafkaPorts, unknown>;
}
