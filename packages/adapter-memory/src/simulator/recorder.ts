import {
  type ClusterShape,
  DecodeError,
  decodeState,
  type LogShape,
  type StateMessage,
} from "@phasekit/core";
import { Effect } from "effect";

/**
 * What the simulator keeps on the side to check its invariants, gathered by wrapping ports (the
 * control plane cannot tell): every version the aggregator appended to the state log (compaction
 * may later drop old ones from the log itself), and every workflow object created on the cluster.
 *
 * @module
 */

export interface Recorder {
  /** Every state version appended, per entity id, in append order. */
  readonly stateHistory: Map<string, StateMessage[]>;
  /** Successful creates of workflow objects (objects without an owner), keyed `<kind>/<name>`. */
  readonly workflowCreates: Map<string, number>;
}

export const makeRecorder = (): Recorder => ({ stateHistory: new Map(), workflowCreates: new Map() });

/** The state log, recording each appended version. */
export function recordingStateLog(port: LogShape, recorder: Recorder): LogShape {
  return {
    ...port,
    append: (records) =>
      Effect.tap(port.append(records), () =>
        Effect.sync(() => {
          for (const r of records) {
            const state = decodeState(r.key, r.value);
            if (state instanceof DecodeError) continue;
            let versions = recorder.stateHistory.get(r.key);
            if (!versions) recorder.stateHistory.set(r.key, (versions = []));
            versions.push(state);
          }
        }),
      ),
  };
}

/** The cluster, counting successful creates of workflow objects. */
export function recordingCluster(port: ClusterShape, recorder: Recorder): ClusterShape {
  return {
    ...port,
    create: (object) =>
      Effect.tap(port.create(object), (created) =>
        Effect.sync(() => {
          if (created.owner !== null) return;
          const key = `${created.kind}/${created.name}`;
          recorder.workflowCreates.set(key, (recorder.workflowCreates.get(key) ?? 0) + 1);
        }),
      ),
  };
}
