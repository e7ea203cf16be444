import * as Data from "effect/Data";
import type * as Effect from "effect/Effect";
import type * as Scope from "effect/Scope";

/**
 * What the event log and the state log share: a partitioned, keyed, append-only log with consumer
 * groups, as Kafka has them. Records with the same key land in the same partition and keep their
 * order; there is no order across partitions. Delivery is at-least-once: a consumer that stops
 * before it commits sees the same records again.
 *
 * @module
 */

/**
 * The message a record's text encodes, as the writer in this process had it before encoding: readers
 * in the same process take it instead of decoding `value` again. It names the key and text it was
 * encoded to, and counts only on a record with that very key and text ({@link carriedMessage}): a
 * record whose bytes were altered or replaced (`{ ...record, value }`, a fault injected on purpose)
 * no longer carries it, and its readers decode the bytes as before. Only core's encoders make one
 * (`eventRecord`, `stateRecord`), from messages whose text decodes to exactly the message; it is
 * frozen and shared by every reader, so no one may change it.
 *
 * @example
 * ```ts
 * const record = stateRecord("e1", { version: 1, entity });
 * record.decoded?.message === carriedMessage(record); // true
 * ```
 */
export interface Decoded<M> {
  readonly key: string;
  readonly value: string;
  readonly message: M;
}

/**
 * A record to append. `value` is the message text (JSON in phasekit); `key` is the entity id.
 * `decoded`, when core's writer set it, is the message `value` encodes ({@link Decoded}): a log in
 * this process (the memory log) may hand it to readers with the record; a log that sends bytes
 * somewhere (Kafka) ignores it, so its records never carry one. `M` is the log's message type.
 */
export interface ProducerRecord<M = never> {
  readonly key: string;
  readonly value: string;
  readonly decoded?: Decoded<M>;
}

/**
 * The message a record carries from its writer, when it carries one for this very key and text;
 * else undefined, and the reader decodes `record.value`.
 *
 * @example
 * ```ts
 * const message = carriedMessage(record) ?? decodeState(record.key, record.value);
 * ```
 */
export function carriedMessage<M>(record: ProducerRecord<M>): M | undefined {
  const d = record.decoded;
  return d !== undefined && d.value === record.value && d.key === record.key ? d.message : undefined;
}

/** Where a record landed. */
export interface LogPosition {
  readonly partition: number;
  readonly offset: number;
}

/** A record as a consumer sees it. */
export interface LogRecord<M = unknown> extends ProducerRecord<M>, LogPosition {
  /** The log (topic) it came from, for errors and dead letters. */
  readonly topic: string;
}

/** The log could not do what was asked (broker down, topic missing, consumer closed...). */
export class LogError extends Data.TaggedError("LogError")<{
  readonly log: string;
  readonly operation: string;
  readonly message: string;
  readonly cause?: unknown;
}> {}

/**
 * One member of a consumer group. `poll` returns records after the member's position (which starts
 * at the group's committed offsets); `commit` records that everything up to and including the given
 * records has been handled. A member released without committing leaves the committed offsets where
 * they were, so the next member of the group sees those records again (at-least-once).
 */
export interface LogConsumer<M = unknown> {
  /** Up to `max` records (default 500); an empty array when nothing new arrived. Never waits long. */
  readonly poll: (options?: { readonly max?: number }) => Effect.Effect<readonly LogRecord<M>[], LogError>;
  /** Commits, per partition, the offset after the highest of these records. Call only after their effects succeeded. */
  commit(records: readonly LogRecord<M>[]): Effect.Effect<void, LogError>;
}

/**
 * The shape of a log port; `M` is the message its records encode (what a record's `decoded` may
 * carry: `EventMessage` on the event log, `StateMessage` on the state log).
 */
export interface LogShape<M = unknown> {
  /** The log's name (the Kafka topic). */
  readonly name: string;
  /**
   * Appends records in order; returns where each landed. Same key, same partition, order kept. A
   * record's `decoded` is never written anywhere but this process's memory.
   */
  append(records: readonly ProducerRecord<M>[]): Effect.Effect<readonly LogPosition[], LogError>;
  /** Joins a consumer group; the member leaves when the scope closes (without committing anything). */
  readonly consumer: (group: string) => Effect.Effect<LogConsumer<M>, LogError, Scope.Scope>;
  /** Every record from the start of each partition up to its current end, partition by partition (for replay). */
  readonly readAll: () => Effect.Effect<readonly LogRecord<M>[], LogError>;
}
