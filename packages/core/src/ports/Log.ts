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

/** A record to append. `value` is the message text (JSON in phasekit); `key` is the entity id. */
export interface ProducerRecord {
  readonly key: string;
  readonly value: string;
}

/** Where a record landed. */
export interface LogPosition {
  readonly partition: number;
  readonly offset: number;
}

/** A record as a consumer sees it. */
export interface LogRecord extends ProducerRecord, LogPosition {
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
export interface LogConsumer {
  /** Up to `max` records (default 500); an empty array when nothing new arrived. Never waits long. */
  readonly poll: (options?: { readonly max?: number }) => Effect.Effect<readonly LogRecord[], LogError>;
  /** Commits, per partition, the offset after the highest of these records. Call only after their effects succeeded. */
  readonly commit: (records: readonly LogRecord[]) => Effect.Effect<void, LogError>;
}

/** The shape of a log port. */
export interface LogShape {
  /** The log's name (the Kafka topic). */
  readonly name: string;
  /** Appends records in order; returns where each landed. Same key, same partition, order kept. */
  readonly append: (records: readonly ProducerRecord[]) => Effect.Effect<readonly LogPosition[], LogError>;
  /** Joins a consumer group; the member leaves when the scope closes (without committing anything). */
  readonly consumer: (group: string) => Effect.Effect<LogConsumer, LogError, Scope.Scope>;
  /** Every record from the start of each partition up to its current end, partition by partition (for replay). */
  readonly readAll: () => Effect.Effect<readonly LogRecord[], LogError>;
}
