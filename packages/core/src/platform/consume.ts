import * as Effect from "effect/Effect";
import { DecodeError } from "../lifecycle/errors.js";
import { carriedMessage, type LogConsumer, type LogRecord } from "../ports/Log.js";

/**
 * What every consumer of the control plane does with a record it cannot decode: it hands it to a
 * dead-letter hook (which records it; the Kafka adapter routes it to a DLQ topic), commits it with the
 * rest of the batch and goes on. One bad message must not stop a partition forever, and must not be
 * silently lost either.
 *
 * @module
 */

/** A record no consumer could decode: where it was, what it held, and every problem with it. */
export interface DeadLetter {
  /** The consumer group that gave up on it (`phasekit.workflows-aggregator`...). */
  readonly consumer: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
  readonly error: DecodeError;
}

/** Records a dead letter. It cannot fail: a hook that could fail would block the partition again. */
export type DeadLetterHook = (letter: DeadLetter) => Effect.Effect<void>;

/**
 * The default hook: a warning naming topic, partition, offset and the decode problems.
 *
 * @example
 * ```ts
 * const aggregator = yield* makeAggregator({ onDeadLetter: logDeadLetter });
 * ```
 */
export const logDeadLetter: DeadLetterHook = (l) =>
  Effect.logWarning(
    `${l.consumer}: dead letter ${l.topic}[${l.partition}]@${l.offset} key ${JSON.stringify(l.key)}: ${l.error.message}`,
  );

/** A decoded record: the record (for its position) and its message. */
export interface DecodedRecord<M> {
  readonly record: LogRecord<M>;
  readonly message: M;
}

/**
 * Decodes a polled batch. A record that carries its writer's message (a memory log's record written
 * by core in this process, `carriedMessage`) gives that message, which is what decoding its text
 * gives; any other is decoded. Undecodable records go to `hook` and are left out of the result, but
 * stay in the batch the caller commits.
 *
 * @example
 * ```ts
 * const ok = yield* decodeBatch(records, decodeState, "phasekit.workflows-sink", logDeadLetter);
 * ```
 */
export const decodeBatch = <M>(
  records: readonly LogRecord<M>[],
  decode: (key: string, value: string) => M | DecodeError,
  consumer: string,
  hook: DeadLetterHook,
): Effect.Effect<DecodedRecord<M>[]> =>
  // No generator: this runs on every poll, and a fresh `function*` per call costs V8 a new map.
  Effect.suspend(() => {
    const decoded: DecodedRecord<M>[] = [];
    const dead: DeadLetter[] = [];
    for (const record of records) {
      const message = carriedMessage(record) ?? decode(record.key, record.value);
      if (message instanceof DecodeError) {
        const { topic, partition, offset, key, value } = record;
        dead.push({ consumer, topic, partition, offset, key, value, error: message });
      } else decoded.push({ record, message });
    }
    // Decoding is pure, so handing the dead letters over after the loop keeps their order and effect.
    if (dead.length === 0) return Effect.succeed(decoded);
    return Effect.as(Effect.forEach(dead, hook, { discard: true }), decoded);
  });

/**
 * A consumer that hands out the same batch again until it is committed. A service whose effects
 * failed halfway has already moved the group member's position past that batch, and committing a
 * later batch would commit this one too, unhandled: so its next poll must return the batch again.
 */
export function redeliveringUntilCommitted<M>(consumer: LogConsumer<M>, max: number): LogConsumer<M> {
  let unfinished: readonly LogRecord<M>[] = [];
  return {
    poll: () =>
      unfinished.length > 0
        ? Effect.succeed(unfinished)
        : consumer
            .poll({ max })
            .pipe(Effect.tap((records) => Effect.sync(() => void (unfinished = records)))),
    commit: (records) =>
      consumer.commit(records).pipe(Effect.tap(() => Effect.sync(() => void (unfinished = [])))),
  };
}
