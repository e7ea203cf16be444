import { type LogConsumer, LogError, type LogRecord, type LogShape } from "@phasekit/core";
import { Effect } from "effect";
import type { KafkaClient, PartitionOffset } from "./client.js";
import { groupName, type KafkaConfig } from "./config.js";
import { messageOf } from "./message-of.js";

export { messageOf };

/**
 * A log port (EventLog or StateLog) on one Kafka topic: append = an idempotent produce, consumer = a
 * consumer-group member, readAll = a group-less read from the start of every partition.
 *
 * @module
 */

/** Wraps a client call: a rejection becomes a LogError naming the topic and the operation. */
export const attempt = <A>(topic: string, operation: string, run: () => Promise<A>) =>
  Effect.tryPromise({
    try: run,
    catch: (cause) => new LogError({ log: topic, operation, message: messageOf(cause), cause }),
  });

/**
 * The offsets to commit for records that were handled: per partition, one past the highest.
 *
 * @example
 * ```ts
 * nextOffsets("t", [{ partition: 0, offset: 4 }, { partition: 0, offset: 2 }]); // [{ topic: "t", partition: 0, offset: 5 }]
 * ```
 */
export function nextOffsets(
  topic: string,
  records: readonly { readonly partition: number; readonly offset: number }[],
): PartitionOffset[] {
  const highest = new Map<number, number>();
  for (const r of records) highest.set(r.partition, Math.max(highest.get(r.partition) ?? -1, r.offset));
  return [...highest]
    .sort(([a], [b]) => a - b)
    .map(([partition, offset]) => ({ topic, partition, offset: offset + 1 }));
}

/**
 * The log port for `topic`. `consumer(group)` joins `<prefix>.<group>` on the broker (see
 * {@link groupName}). A member leaves its group when its scope closes, committing nothing.
 *
 * @example
 * ```ts
 * const events = kafkaLog(client, config, "dyff.workflows.events");
 * yield* events.append([{ key: "e1", value: "{}" }]);
 * ```
 */
export function kafkaLog(client: KafkaClient, config: KafkaConfig, topic: string): LogShape<never> {
  const join = (group: string) =>
    Effect.acquireRelease(
      attempt(topic, `join group ${group}`, () =>
        client.join(group, topic, {
          sessionTimeoutMs: config.sessionTimeoutMs,
          heartbeatIntervalMs: config.heartbeatIntervalMs,
          bufferSize: config.bufferSize,
        }),
      ),
      (member) => Effect.promise(() => member.close()),
    );
  return {
    name: topic,
    append: (records) =>
      records.length === 0
        ? Effect.succeed([])
        : attempt(topic, "append", () => client.produce(topic, records)),
    consumer: (name) => {
      const group = groupName(config, name);
      return Effect.map(
        join(group),
        (member): LogConsumer<never> => ({
          poll: (options) =>
            attempt(topic, `poll (group ${group})`, () =>
              member.poll(options?.max ?? 500, config.pollWaitMs),
            ) as Effect.Effect<readonly LogRecord<never>[], LogError>,
          commit: (records) => {
            const ours = records.filter((r) => r.topic === topic);
            return ours.length === 0
              ? Effect.void
              : attempt(topic, `commit (group ${group})`, () => member.commit(nextOffsets(topic, ours)));
          },
        }),
      );
    },
    readAll: () => attempt(topic, "readAll", () => client.readAll(topic)),
  };
}
