import { type DecodeIssue, LogError } from "@phasekit/core";
import { Context, Effect, Schedule } from "effect";
import type { KafkaClient } from "./client.js";
import { attempt } from "./log.js";

/**
 * The dead-letter topic (`<prefix>.workflows.dlq`). A record that no consumer could decode or
 * validate is produced there, keyed like the original, with where it was (topic, partition, offset),
 * the consumer group that gave up, the original value and every problem found; it is also logged
 * with its topic, partition and offset. The consumer then commits it and goes on. Producing the dead
 * letter is retried; if it still cannot be produced the consumer dies before it commits, so the bad
 * record is read again on restart: it is never lost silently.
 *
 * The control plane's consumers take such a hook as `onDeadLetter` (`DeadLetterHook` in
 * `@phasekit/core`'s platform); this one has the same shape.
 *
 * @module
 */

/** A record a consumer gave up on (the fields the control plane's `DeadLetter` carries). */
export interface DeadLetterInput {
  /** The consumer group that gave up on it. */
  readonly consumer: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
  /** Why: a DecodeError (its issues name path, value and expected) or any error. */
  readonly error: { readonly message: string; readonly issues?: readonly DecodeIssue[] };
}

/** A dead letter as stored on the topic (its JSON value). */
export interface DeadLetterRecord {
  readonly consumer: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
  readonly error: { readonly message: string; readonly issues: readonly DecodeIssue[] };
}

/** Records a dead letter; like the control plane's hook it cannot fail (it dies instead). */
export type KafkaDeadLetterHook = (letter: DeadLetterInput) => Effect.Effect<void>;

/** The dead-letter service `layerKafka` provides. */
export interface KafkaDeadLettersShape {
  /** The dead-letter topic. */
  readonly topic: string;
  /** Pass as `onDeadLetter` to the control plane's services. */
  readonly hook: KafkaDeadLetterHook;
  /** Every dead letter so far, in topic order (for operators and tests). */
  readonly readAll: () => Effect.Effect<readonly DeadLetterRecord[], LogError>;
}

/**
 * The dead-letter queue of a Kafka layer.
 *
 * @example
 * ```ts
 * const program = Effect.gen(function* () {
 *   const dlq = yield* KafkaDeadLetters;
 *   const aggregator = yield* makeAggregator({ onDeadLetter: dlq.hook });
 * });
 * ```
 */
export class KafkaDeadLetters extends Context.Service<KafkaDeadLetters, KafkaDeadLettersShape>()(
  "@phasekit/adapter-kafka/KafkaDeadLetters",
) {}

/** JSON that survives values JSON cannot hold (bigint, undefined, cycles) in decode issues. */
function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (v === undefined) return null;
    if (typeof v === "object" && v !== null) {
      if (seen.has(v)) return "[circular]";
      seen.add(v);
    }
    return v;
  });
}

/**
 * The JSON value of a dead letter.
 *
 * @example
 * ```ts
 * encodeDeadLetter({ consumer: "g", topic: "t", partition: 0, offset: 3, key: "e1", value: "{", error: new Error("bad") });
 * ```
 */
export function encodeDeadLetter(letter: DeadLetterInput): string {
  const { consumer, topic, partition, offset, key, value, error } = letter;
  const record: DeadLetterRecord = {
    consumer,
    topic,
    partition,
    offset,
    key,
    value,
    error: { message: error.message, issues: error.issues ?? [] },
  };
  return safeJson(record);
}

/** Reads a dead letter back; a record that is not one is returned as a dead letter about itself. */
export function decodeDeadLetter(record: {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
}): DeadLetterRecord {
  try {
    const parsed = JSON.parse(record.value) as Partial<DeadLetterRecord>;
    if (typeof parsed.topic === "string" && typeof parsed.offset === "number" && parsed.error)
      return parsed as DeadLetterRecord;
  } catch {
    // falls through: not a dead letter written by this adapter
  }
  return {
    ...record,
    consumer: "",
    error: { message: "not a dead letter written by phasekit", issues: [] },
  };
}

/** Attempts to produce one dead letter before the consumer gives up (and dies uncommitted). */
const attempts = 6;

/**
 * Makes the hook and the reader of a dead-letter topic.
 *
 * @example
 * ```ts
 * const dlq = makeKafkaDeadLetters(client, "dyff.workflows.dlq");
 * yield* dlq.hook(letter);
 * ```
 */
export function makeKafkaDeadLetters(client: KafkaClient, topic: string): KafkaDeadLettersShape {
  const produce = (letter: DeadLetterInput) =>
    attempt(topic, "dead letter", () =>
      client.produce(topic, [{ key: letter.key, value: encodeDeadLetter(letter) }]),
    ).pipe(
      Effect.retry({ times: attempts - 1, schedule: Schedule.exponential("200 millis") }),
      Effect.mapError(
        (e) =>
          new LogError({
            log: topic,
            operation: "dead letter",
            message: `could not produce the dead letter for ${letter.topic}[${letter.partition}]@${letter.offset} after ${attempts} attempts (${e.message}); the consumer stops before committing it`,
            cause: e,
          }),
      ),
      Effect.orDie,
    );
  return {
    topic,
    hook: (letter) =>
      Effect.gen(function* () {
        const [position] = yield* produce(letter);
        yield* Effect.logWarning(
          `${letter.consumer}: dead letter ${letter.topic}[${letter.partition}]@${letter.offset} key ${JSON.stringify(letter.key)} -> ${topic}[${position?.partition}]@${position?.offset}: ${letter.error.message}`,
        );
      }),
    readAll: () =>
      Effect.map(
        attempt(topic, "readAll", () => client.readAll(topic)),
        (records) => records.map(decodeDeadLetter),
      ),
  };
}
