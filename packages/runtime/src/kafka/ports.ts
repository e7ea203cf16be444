import {
  type KafkaConfigInput,
  type KafkaDeadLetters,
  type KafkaPorts,
  layerKafka,
} from "@phasekit/adapter-kafka";
import { type MemoryBackendShape, makeMemoryBackend } from "@phasekit/adapter-memory";
import {
  Authorizer,
  Cluster,
  type ControlPlanePorts,
  KeyValue,
  type KeyValueError,
  type LogError,
  ViewStore,
  type ViewStoreError,
} from "@phasekit/core";
import { Context, Layer } from "effect";
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
  backend: MemoryBackendShape = makeMemoryBackend(),
  stores: SharedStores = {},
): Layer.Layer<ServedPorts | KafkaPorts, LogError | KeyValueError | ViewStoreError> {
  const local = Context.make(Cluster, backend.cluster.port).pipe(
    Context.add(Authorizer, backend.authorizer.port),
  );
  return Layer.mergeAll(
    Layer.succeedContext(local),
    stores.kv?.layer ?? Layer.succeed(KeyValue, backend.keyValue.port),
    stores.view?.layer ?? Layer.succeed(ViewStore, backend.view.port),
    layerKafka(kafka),
  );
}
