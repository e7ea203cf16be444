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
  type LogError,
  ViewStore,
} from "@phasekit/core";
import { Context, Layer } from "effect";

/**
 * The ports a Kafka-backed process serves: the event log, the state log and the dead-letter queue on
 * Kafka; the key-value store, the cluster, the query view and the authorizer in this process's
 * memory, because phasekit has no shared backend for them yet (the Kubernetes adapter will bring the
 * cluster). So the orchestrator, operator and informer must run in ONE process (they share the
 * cluster and the admission records); the aggregator and the sink can each run anywhere.
 *
 * @module
 */

export type ServedPorts = ControlPlanePorts | Authorizer | KafkaDeadLetters;

/** Kafka's logs plus `backend`'s key-value store, cluster, view and authorizer. */
export function layerServed(
  kafka: KafkaConfigInput,
  backend: MemoryBackendShape = makeMemoryBackend(),
): Layer.Layer<ServedPorts | KafkaPorts, LogError> {
  const local = Context.make(KeyValue, backend.keyValue.port).pipe(
    Context.add(Cluster, backend.cluster.port),
    Context.add(ViewStore, backend.view.port),
    Context.add(Authorizer, backend.authorizer.port),
  );
  return Layer.merge(Layer.succeedContext(local), layerKafka(kafka));
}
