import { aggregate, aggregateRecord } from "./aggregator.js";
import { decodeEvent, type StateMessage } from "./messages.js";

/**
 * The state log an event log implies: what the invariant "state log = replay of events" compares
 * against, folded with the aggregator's own functions.
 *
 * @module
 */

/**
 * Replays an event log from offset zero with {@link aggregateRecord} (or {@link aggregate} for
 * records without a position): the state every entity must have on the state log once the
 * aggregator has caught up (the invariant "state log = replay of events"). Undecodable records are
 * skipped, as the aggregator skips them.
 *
 * @example
 * ```ts
 * const replayed = replayEvents(yield* (yield* EventLog).readAll());
 * replayed.get("e1")?.entity.status;
 * ```
 */
export function replayEvents(
  records: readonly {
    readonly key: string;
    readonly value: string;
    readonly partition?: number;
    readonly offset?: number;
  }[],
): Map<string, StateMessage> {
  const states = new Map<string, StateMessage>();
  for (const record of records) {
    const { key, value, partition, offset } = record;
    const message = decodeEvent(key, value);
    if (message instanceof Error) continue;
    const fold =
      partition === undefined || offset === undefined
        ? aggregate(states.get(key), message)
        : aggregateRecord(states.get(key), { partition, offset }, message);
    if (fold.type === "changed") states.set(key, fold.state);
  }
  return states;
}
