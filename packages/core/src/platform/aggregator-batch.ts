import * as Effect from "effect/Effect";
import type * as Log from "../ports/Log.js";
import type { LogError } from "../ports/Log.js";
import type { AggregateResult, Rejection } from "./aggregator.js";
import type { DecodedRecord } from "./consume.js";
import { type EventMessage, type StateMessage, stateRecord } from "./messages.js";

// This module reads event-log records and writes state-log records.
type LogRecord = Log.LogRecord<EventMessage>;
type LogConsumer = Log.LogConsumer<EventMessage>;
type ProducerRecord = Log.ProducerRecord<StateMessage>;

/**
 * The aggregator's batch mechanics: folding a polled batch into state records (with or without the
 * record cache), and a consumer that lets a batch stay uncommitted while the next one is polled.
 *
 * @module
 */

/** What folded batches do to the state log, until they are written. */
export interface FoldedBatches {
  /** The polled batches, in poll order: what the write commits. */
  readonly batches: (readonly LogRecord[])[];
  /** How many records the batches hold. */
  records: number;
  /** The newest state of every id the batches changed. */
  readonly updates: Map<string, StateMessage>;
  /** Without the cache: every change as a state record, in event order. */
  readonly changes: ProducerRecord[];
  /** The events the machines refused, with their records. */
  readonly rejected: [Rejection, LogRecord][];
}

/**
 * Nothing folded yet.
 *
 * @example
 * ```ts
 * const open = noBatches();
 * open.batches.length; // 0
 * ```
 */
export const noBatches = (): FoldedBatches => ({
  batches: [],
  records: 0,
  updates: new Map(),
  changes: [],
  rejected: [],
});

/**
 * Folds a polled batch into `into`, onto `current` (the state of an id before `into`'s batches).
 * Without `cache`, every change is one state record, in event order. With `cache` (Kafka Streams'
 * record cache, whose commit interval here is one write), the changes of one id leave as one record:
 * its newest state, which carries the version and the position (`applied`) of its last change. So
 * the versions on the log skip, and a replay after a crash skips the same events an uncached run
 * would.
 *
 * @example
 * ```ts
 * const open = noBatches();
 * foldBatch(open, records, decoded, (id) => snapshot.get(id), aggregateRecord, true);
 * stateRecords(open, true).length; // at most one per id
 * ```
 */
export function foldBatch(
  into: FoldedBatches,
  records: readonly LogRecord[],
  decoded: readonly DecodedRecord<EventMessage>[],
  current: (id: string) => StateMessage | undefined,
  fold: (state: StateMessage | undefined, record: LogRecord, message: EventMessage) => AggregateResult,
  cache: boolean,
): void {
  const { updates, changes, rejected } = into;
  into.batches.push(records);
  into.records += records.length;
  for (const { record, message } of decoded) {
    const result = fold(updates.get(record.key) ?? current(record.key), record, message);
    if (result.type === "changed") {
      updates.set(record.key, result.state);
      if (!cache) changes.push(stateRecord(record.key, result.state));
    } else if (result.type === "rejected") {
      rejected.push([{ ...result.rejection, id: record.key }, record]);
    }
  }
}

/**
 * The state records to append for folded batches: every change, or with the cache the newest state
 * of each id.
 *
 * @example
 * ```ts
 * yield* stateLog.append(stateRecords(open, cache));
 * ```
 */
export function stateRecords(folded: FoldedBatches, cache: boolean): ProducerRecord[] {
  if (!cache) return folded.changes;
  const out: ProducerRecord[] = [];
  for (const [key, state] of folded.updates) out.push(stateRecord(key, state));
  return out;
}

/**
 * The record of the highest offset of each topic's partition in `batches`: all that a commit of
 * them needs (it commits, per partition, the offset after the highest), without an array of every
 * record (a write commits up to twenty polls).
 *
 * @example
 * ```ts
 * highestOfEachPartition([[r0at5, r1at2], [r0at7]]); // [r0at7, r1at2]
 * ```
 */
export function highestOfEachPartition<R extends Log.LogPosition & { readonly topic: string }>(
  batches: readonly (readonly R[])[],
): R[] {
  const byTopic = new Map<string, R[]>();
  for (const batch of batches)
    for (const r of batch) {
      let byPartition = byTopic.get(r.topic);
      if (byPartition === undefined) byTopic.set(r.topic, (byPartition = []));
      const held = byPartition[r.partition];
      if (held === undefined || r.offset > held.offset) byPartition[r.partition] = r;
    }
  const out: R[] = [];
  for (const byPartition of byTopic.values()) for (const r of byPartition) if (r !== undefined) out.push(r);
  return out;
}

/** A consumer whose batches may stay uncommitted while later ones are polled. */
export interface SettlingConsumer {
  /** The next batch: after {@link SettlingConsumer.rewind}, every uncommitted batch again as one; else new records. */
  readonly poll: () => Effect.Effect<readonly LogRecord[], LogError>;
  /** Commits polled batches (the oldest uncommitted ones, in poll order). */
  readonly commit: (batches: readonly (readonly LogRecord[])[]) => Effect.Effect<void, LogError>;
  /**
   * After a failed append or commit: the member's position is already past every polled batch, and
   * committing a later one would commit the failed one too, unhandled. So the next poll hands out
   * every batch polled and not committed again, oldest first (each partition stays in offset order).
   */
  readonly rewind: () => void;
}

/**
 * Wraps a group member so that batches can be committed late and handed out again after a failure.
 *
 * @example
 * ```ts
 * const consumer = settlingConsumer(yield* events.consumer(group), 500);
 * const batch = yield* consumer.poll();
 * ```
 */
export function settlingConsumer(consumer: LogConsumer, max: number): SettlingConsumer {
  let unsettled: (readonly LogRecord[])[] = [];
  let again: readonly LogRecord[] = [];
  const polled = (records: readonly LogRecord[]) =>
    Effect.sync(() => {
      if (records.length > 0) unsettled.push(records);
    });
  return {
    poll: () =>
      Effect.suspend(() => {
        if (again.length === 0) return consumer.poll({ max }).pipe(Effect.tap(polled));
        const batch = again;
        again = [];
        unsettled.push(batch);
        return Effect.succeed(batch);
      }),
    commit: (batches) =>
      consumer.commit(highestOfEachPartition(batches)).pipe(
        Effect.tap(() =>
          Effect.sync(() => {
            unsettled = unsettled.filter((b) => !batches.includes(b));
          }),
        ),
      ),
    rewind: () => {
      again = [...unsettled.flat(), ...again];
      unsettled = [];
    },
  };
}
