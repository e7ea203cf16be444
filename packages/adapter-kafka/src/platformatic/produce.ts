import { compatibilityPartitioner, ProduceAcks, Producer, stringSerializers } from "@platformatic/kafka";
import type { OutgoingRecord, RecordPosition } from "../client.js";

/**
 * Producing on `@platformatic/kafka`, wherever the producer runs (the caller's thread or the client
 * thread, which loads this file as it is: see `group-consumer.ts`).
 *
 * @module
 */

/** What a producer needs to connect. */
export interface ProducerConnection {
  readonly clientId: string;
  readonly bootstrapBrokers: string[];
  readonly timeout: number;
  readonly connectTimeout: number;
  readonly requestTimeout: number;
}

export type StringProducer = Producer<string, string, string, string>;

/** Bytes of keys and values per produce request: half the broker's default batch limit (1 MiB). */
const maxSendBytes = 512 * 1024;

/**
 * Consecutive runs of records of at most `limit` bytes each (a larger record goes alone).
 *
 * @example
 * ```ts
 * byteChunks([{ key: "a", value: "x".repeat(600) }, { key: "b", value: "y" }], 512).length; // 2
 * ```
 */
export function byteChunks<R extends OutgoingRecord>(records: readonly R[], limit: number): R[][] {
  const chunks: R[][] = [];
  let chunk: R[] = [];
  let bytes = 0;
  for (const r of records) {
    // 70: a generous bound on a record's framing inside a batch (lengths, deltas, headers count).
    const size = Buffer.byteLength(r.key) + Buffer.byteLength(r.value) + 70;
    if (chunk.length > 0 && bytes + size > limit) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(r);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/**
 * The idempotent producer: acks = all in-sync replicas, Java's murmur2 partitioner (keys land where
 * a Java producer would put them).
 */
export const openProducer = (connection: ProducerConnection): StringProducer =>
  new Producer<string, string, string, string>({
    ...connection,
    serializers: stringSerializers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    partitioner: compatibilityPartitioner,
  });

/**
 * Produces `records` to `topic` in order and returns where each landed.
 *
 * @example
 * ```ts
 * const positions = await produceTo(openProducer(connection), "dyff.workflows.events", [{ key: "e1", value: "{}" }]);
 * ```
 */
export async function produceTo(
  producer: StringProducer,
  topic: string,
  records: readonly OutgoingRecord[],
): Promise<RecordPosition[]> {
  if (records.length === 0) return [];
  const metadata = await producer.metadata({ topics: [topic] });
  const count = metadata.topics.get(topic)?.partitionsCount;
  if (!count) throw new Error(`topic ${topic} has no partitions in the cluster metadata`);
  const positions: RecordPosition[] = [];
  // Sends in order, each under the broker's default batch limit (max.message.bytes, 1 MiB): an
  // append of many large objects would otherwise be refused as a whole, again and again.
  for (const chunk of byteChunks(records, maxSendBytes)) {
    // The partition is chosen here (same hash as the producer would use) so that each record's
    // position can be told from the per-partition base offsets the broker returns.
    const partitions = chunk.map(
      (r) => compatibilityPartitioner(undefined as never, Buffer.from(r.key, "utf8")) % count,
    );
    const result = await producer.send({
      messages: chunk.map((r, i) => ({ topic, key: r.key, value: r.value, partition: partitions[i]! })),
    });
    const base = new Map((result.offsets ?? []).map((o) => [o.partition, Number(o.offset)]));
    const next = new Map<number, number>();
    for (const partition of partitions) {
      const first = base.get(partition);
      if (first === undefined)
        throw new Error(`the broker did not report an offset for ${topic}[${partition}]`);
      const i = next.get(partition) ?? 0;
      next.set(partition, i + 1);
      positions.push({ partition, offset: first + i });
    }
  }
  return positions;
}
