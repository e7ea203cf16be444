import * as Context from "effect/Context";
import type { StateMessage } from "../platform/messages.js";
import type { LogShape } from "./Log.js";

/**
 * The compacted state log (Dyff's `dyff.workflows.state`, `cleanup.policy=compact`): the full object
 * of each entity, keyed by id. It is the source of truth. Compaction keeps at least the latest record
 * of every key; it may keep older ones too (Kafka compacts lazily), so a reader takes the last record
 * per key: {@link latestByKey}.
 */
export class StateLog extends Context.Service<StateLog, LogShape<StateMessage>>()(
  "@phasekit/core/StateLog",
) {}

/** The last record of each key, in the order the records are given (one partition's order per key). */
export function latestByKey<R extends { readonly key: string }>(records: readonly R[]): Map<string, R> {
  const latest = new Map<string, R>();
  for (const r of records) latest.set(r.key, r);
  return latest;
}
