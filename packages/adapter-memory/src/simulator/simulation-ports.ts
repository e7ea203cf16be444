import { Authorizer, Cluster, EventLog, KeyValue, StateLog, ViewStore } from "@phasekit/core";
import { Context } from "effect";
import type { MemoryBackendShape } from "../backend.js";
import type { MemoryPorts } from "../layer.js";
import { crashingCluster, crashingKeyValue, crashingLog } from "./crash.js";
import { type Recorder, recordingCluster, recordingStateLog } from "./recorder.js";
import type { SimulationBackend } from "./simulation-setup.js";

/**
 * The ports a simulation's services run over: the memory backend's, or `over`'s where it gives
 * them (the logs on Kafka, the key-value store on etcd); the state log and the cluster recorded by
 * `recorder`; with `crash`, a crash injected before a commit whenever it says so.
 *
 * @example
 * ```ts
 * const ports = simulationPorts(makeMemoryBackend(), makeRecorder(ledger), undefined, null);
 * ```
 */
export function simulationPorts(
  b: MemoryBackendShape,
  recorder: Recorder,
  over: SimulationBackend | undefined,
  crash: (() => boolean) | null,
): Context.Context<MemoryPorts> {
  const events = over?.events ?? b.events.port;
  const state = recordingStateLog(over?.state ?? b.state.port, recorder);
  const keyValue = over?.keyValue ?? b.keyValue.port;
  const cluster = recordingCluster(b.cluster.port, recorder);
  return Context.make(EventLog, crash ? crashingLog(events, crash) : events).pipe(
    Context.add(StateLog, crash ? crashingLog(state, crash) : state),
    Context.add(KeyValue, crash ? crashingKeyValue(keyValue, crash) : keyValue),
    Context.add(Cluster, crash ? crashingCluster(cluster, crash) : cluster),
    Context.add(ViewStore, b.view.port),
    Context.add(Authorizer, b.authorizer.port),
  ) as Context.Context<MemoryPorts>;
}
