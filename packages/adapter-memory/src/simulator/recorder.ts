import {
  type ClusterObject,
  type ClusterShape,
  carriedMessage,
  DecodeError,
  type DyffEntity,
  decodeStateShared,
  type LogShape,
  type StateMessage,
} from "@phasekit/core";
import { Effect } from "effect";

/**
 * What the simulator keeps on the side to check its invariants, gathered by wrapping ports (the
 * control plane cannot tell): every version the aggregator appended to the state log (compaction
 * may later drop old ones from the log itself), and every workflow object created on the cluster.
 * An observer (the simulator's quota ledger) can follow the same changes as they happen.
 *
 * @module
 */

export interface Recorder {
  /** Every state version appended, per entity id, in append order. */
  readonly stateHistory: Map<string, StateMessage[]>;
  /** Successful creates of workflow objects (objects without an owner), keyed `<kind>/<name>`. */
  readonly workflowCreates: Map<string, number>;
  /** Told of each change as it is recorded. */
  readonly observer?: RecorderObserver | undefined;
}

/** What an observer of a recorder is told, right after the port did it. */
export interface RecorderObserver {
  /** A workflow object (no owner) was created on the cluster. */
  readonly created: (object: ClusterObject) => void;
  /** An object was deleted from the cluster (its dependents went with it, unannounced). */
  readonly deleted: (kind: string, name: string) => void;
  /** A state of entity `id` was appended to the state log. */
  readonly stated: (id: string, entity: DyffEntity) => void;
}

/**
 * An empty recorder, telling `observer` (if any) of each change it records.
 *
 * @example
 * ```ts
 * const ledger = new QuotaLedger(limits);
 * const recorder = makeRecorder(ledger);
 * const stateLog = recordingStateLog(backend.state.port, recorder);
 * ```
 */
export const makeRecorder = (observer?: RecorderObserver): Recorder => ({
  stateHistory: new Map(),
  workflowCreates: new Map(),
  observer,
});

/** The state log, recording each appended version. */
export function recordingStateLog(port: LogShape<StateMessage>, recorder: Recorder): LogShape<StateMessage> {
  return {
    ...port,
    append: (records) =>
      Effect.tap(port.append(records), () =>
        Effect.sync(() => {
          for (const r of records) {
            const state = carriedMessage(r) ?? decodeStateShared(r.key, r.value);
            if (state instanceof DecodeError) continue;
            let versions = recorder.stateHistory.get(r.key);
            if (!versions) recorder.stateHistory.set(r.key, (versions = []));
            versions.push(state);
            recorder.observer?.stated(r.key, state.entity);
          }
        }),
      ),
  };
}

/** The cluster, counting successful creates of workflow objects (and telling the observer of deletes). */
export function recordingCluster(port: ClusterShape, recorder: Recorder): ClusterShape {
  return {
    ...port,
    create: (object) =>
      Effect.tap(port.create(object), (created) =>
        Effect.sync(() => {
          if (created.owner !== null) return;
          const key = `${created.kind}/${created.name}`;
          recorder.workflowCreates.set(key, (recorder.workflowCreates.get(key) ?? 0) + 1);
          recorder.observer?.created(created);
        }),
      ),
    delete: (kind, name) =>
      Effect.tap(port.delete(kind, name), () => Effect.sync(() => recorder.observer?.deleted(kind, name))),
  };
}
