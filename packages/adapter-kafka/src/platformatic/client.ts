import { Admin, Consumer } from "@platformatic/kafka";
import type { GroupMember, IncomingRecord, KafkaClient, PartitionOffset, TopicSpec } from "../client.js";
import type { ConnectionOptions } from "./group-consumer.js";
import { joinGroup } from "./member.js";
import { clientThreadScript, joinOnThread, produceOnThread, releaseOnThread } from "./on-thread.js";
import { openProducer, type ProducerConnection, produceTo, type StringProducer } from "./produce.js";
import { readTopic } from "./read-all.js";

/**
 * {@link KafkaClient} on `@platformatic/kafka` (pure TypeScript, no native build, Kafka 3.5 to 4.x).
 * One admin, one idempotent producer (acks = all in-sync replicas, Java-compatible murmur2
 * partitioner, so keys land where a Java producer would put them), one group-less reader for
 * `readAll`, and a consumer per group member, all made when first needed. The producer and the
 * members' consumers run on the client thread (`on-thread.ts`) unless `clientThread` is false.
 *
 * @module
 */

/** What the platformatic client needs to connect. */
export interface PlatformaticOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Connect and request timeout, milliseconds. */
  readonly timeoutMs: number;
  /**
   * Run the group members' consumers and the producer on the process's client thread (default
   * true): fetching, parsing and encoding records then leave the thread that handles them. Off, or
   * where the thread's script is not beside this module (a bundle), they run on the caller's thread.
   */
  readonly clientThread?: boolean;
}

const alreadyExists = (error: unknown) =>
  typeof (error as { findBy?: unknown })?.findBy === "function" &&
  Boolean((error as { findBy: (k: string, v: string) => unknown }).findBy("apiId", "TOPIC_ALREADY_EXISTS"));

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
  const connect: ProducerConnection = {
    ...connection,
    connectTimeout: options.timeoutMs,
    requestTimeout: options.timeoutMs,
  };
  const thread = options.clientThread === false ? undefined : clientThreadScript();
  // This client's producer on the client thread, once it produced there.
  let threadProducer: number | undefined;
  let admin: Admin | undefined;
  let producer: StringProducer | undefined;
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
  const getProducer = () => (producer = open(producer, () => openProducer(connect)));

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
      if (closed) throw new Error("the Kafka client is closed");
      if (records.length === 0) return [];
      if (!thread) return produceTo(getProducer(), topic, records);
      const produced = await produceOnThread(thread, connect, threadProducer, topic, records);
      threadProducer = produced.producer;
      return produced.positions;
    },

    async join(group, topic, joinOptions) {
      if (closed) throw new Error("the Kafka client is closed");
      const member = thread
        ? await joinOnThread(thread, connection, group, topic, joinOptions)
        : await joinGroup(connection, group, topic, joinOptions);
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
      if (threadProducer !== undefined) await releaseOnThread(threadProducer);
      await Promise.all(
        [producer, reader, admin].map((c) => c?.close().catch(() => c.close(true).catch(() => {}))),
      );
    },
  };
}
