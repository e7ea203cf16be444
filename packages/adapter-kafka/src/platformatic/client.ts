import {
  Admin,
  Consumer,
  compatibilityPartitioner,
  ProduceAcks,
  Producer,
  stringSerializers,
} from "@platformatic/kafka";
import type {
  GroupMember,
  IncomingRecord,
  KafkaClient,
  OutgoingRecord,
  PartitionOffset,
  RecordPosition,
  TopicSpec,
} from "../client.js";
import { type ConnectionOptions, joinGroup } from "./member.js";
import { readTopic } from "./read-all.js";

/**
 * {@link KafkaClient} on `@platformatic/kafka` (pure TypeScript, no native build, Kafka 3.5 to 4.x).
 * One admin, one idempotent producer (acks = all in-sync replicas, Java-compatible murmur2
 * partitioner, so keys land where a Java producer would put them), one group-less reader for
 * `readAll`, and a consumer per group member, all made when first needed.
 *
 * @module
 */

/** What the platformatic client needs to connect. */
export interface PlatformaticOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Connect and request timeout, milliseconds. */
  readonly timeoutMs: number;
}

const alreadyExists = (error: unknown) =>
  typeof (error as { findBy?: unknown })?.findBy === "function" &&
  Boolean((error as { findBy: (k: string, v: string) => unknown }).findBy("apiId", "TOPIC_ALREADY_EXISTS"));

/** Bytes of keys and values per produce request: half the broker's default batch limit (1 MiB). */
const maxSendBytes = 512 * 1024;

/** Consecutive runs of records of at most `limit` bytes each (a larger record goes alone). */
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

/** Topic resource type in DescribeConfigs. */
const topicResource = 2;

/**
 * Makes a client. Nothing connects until the first call.
 *
 * @example
 * ```ts
 * const client = createPlatformaticClient({ brokers: ["127.0.0.1:19092"], clientId: "phasekit", timeoutMs: 10_000 });
 * await client.produce("dyff.workflows.events", [{ key: "e1", value: "{}" }]);
 * await client.close();
 * ```
 */
export function createPlatformaticClient(options: PlatformaticOptions): KafkaClient {
  const connection: ConnectionOptions = {
    clientId: options.clientId,
    bootstrapBrokers: [...options.brokers],
    timeout: options.timeoutMs,
  };
  const connect = { ...connection, connectTimeout: options.timeoutMs, requestTimeout: options.timeoutMs };
  let admin: Admin | undefined;
  let producer: Producer<string, string, string, string> | undefined;
  let reader: Consumer | undefined;
  const members = new Set<GroupMember>();
  let closed = false;

  const open = <T>(made: T | undefined, make: () => T): T => {
    if (closed) throw new Error("the Kafka client is closed");
    return made ?? make();
  };
  const getAdmin = () => (admin = open(admin, () => new Admin(connect)));
  const getReader = () =>
    (reader = open(reader, () => new Consumer({ ...connect, groupId: `${options.clientId}.reader` })));
  const getProducer = () =>
    (producer = open(
      producer,
      () =>
        new Producer<string, string, string, string>({
          ...connect,
          serializers: stringSerializers,
          idempotent: true,
          acks: ProduceAcks.ALL,
          partitioner: compatibilityPartitioner,
        }),
    ));

  const configsOf = async (topic: string) => {
    const [described] = await getAdmin().describeConfigs({
      resources: [{ resourceType: topicResource, resourceName: topic }],
    });
    return Object.fromEntries((described?.configs ?? []).map((c) => [c.name, c.value ?? null]));
  };

  return {
    async ensureTopics(topics: readonly TopicSpec[]) {
      const actual = new Map<string, Record<string, string | null>>();
      for (const t of topics) {
        try {
          // One call per topic: CreateTopics' configs apply to every topic of a call.
          const [created] = await getAdmin().createTopics({
            topics: [t.name],
            partitions: t.partitions,
            replicas: t.replicationFactor,
            configs: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
          });
          const configuration = created?.configuration;
          actual.set(
            t.name,
            configuration
              ? Object.fromEntries(Object.entries(configuration).map(([k, v]) => [k, v ?? null]))
              : await configsOf(t.name),
          );
        } catch (error) {
          if (!alreadyExists(error)) throw error;
          actual.set(t.name, await configsOf(t.name));
        }
      }
      return actual;
    },

    async produce(topic, records) {
      if (records.length === 0) return [];
      const p = getProducer();
      const metadata = await p.metadata({ topics: [topic] });
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
        const result = await p.send({
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
    },

    async join(group, topic, joinOptions) {
      if (closed) throw new Error("the Kafka client is closed");
      const member = await joinGroup(connection, group, topic, joinOptions);
      members.add(member);
      return {
        poll: (max, waitMs) => member.poll(max, waitMs),
        commit: (offsets) => member.commit(offsets),
        close: async () => {
          members.delete(member);
          await member.close();
        },
      };
    },

    readAll: (topic): Promise<IncomingRecord[]> => readTopic(getReader(), topic),

    async committed(group, topic) {
      const groups = await getAdmin().listConsumerGroupOffsets({ groups: [group] });
      const out: PartitionOffset[] = [];
      for (const g of groups)
        for (const t of g.topics)
          for (const p of t.partitions)
            if (t.name === topic && p.committedOffset >= 0n)
              out.push({ topic, partition: p.partitionIndex, offset: Number(p.committedOffset) });
      return out.sort((a, b) => a.partition - b.partition);
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...members].map((m) => m.close()));
      await Promise.all(
        [producer, reader, admin].map((c) => c?.close().catch(() => c.close(true).catch(() => {}))),
      );
    },
  };
}
