import { Consumer, type Message, type MessagesStream } from "@platformatic/kafka";
import type { IncomingRecord, JoinOptions, PartitionOffset } from "../client.js";
import { subscribedRoundRobin } from "./assign.ts";

/**
 * A consumer-group member's consumer on `@platformatic/kafka`, wherever it runs: the library's
 * message stream from the group's committed offsets (earliest where the group has none), no
 * autocommit. Rebalances: after every join the library re-reads the committed offsets of the
 * partitions it is given and fetches from there, so what a member was given but did not commit
 * comes again (to it or to the new owner).
 *
 * The client thread (`client-thread.ts`) loads this file as it is, so it imports only packages and
 * files of the same kind, by their `.ts` names, and uses only syntax Node can strip.
 *
 * @module
 */

/** The connection settings every client object shares. */
export interface ConnectionOptions {
  readonly clientId: string;
  readonly bootstrapBrokers: string[];
  readonly timeout: number;
}

export type BufferConsumer = Consumer<Buffer, Buffer, Buffer, Buffer>;
export type BufferStream = MessagesStream<Buffer, Buffer, Buffer, Buffer>;
export type BufferMessage = Message<Buffer, Buffer, Buffer, Buffer>;

/** How long a fetch waits on the broker when nothing is new (also bounds how long a close waits for it). */
const fetchWaitMs = 250;

/** A record's key or value as text ("" for a null one). */
export const text = (b: Buffer | undefined | null): string => (b ? b.toString("utf8") : "");

/**
 * Joins `group` on `topic` and starts fetching.
 *
 * @example
 * ```ts
 * const { consumer, stream } = await openConsumer(connection, "dyff.aggregator", "dyff.workflows.events", options);
 * ```
 */
export async function openConsumer(
  connection: ConnectionOptions,
  group: string,
  topic: string,
  options: JoinOptions,
): Promise<{ consumer: BufferConsumer; stream: BufferStream }> {
  const consumer: BufferConsumer = new Consumer({
    ...connection,
    groupId: group,
    sessionTimeout: options.sessionTimeoutMs,
    heartbeatInterval: options.heartbeatIntervalMs,
    // A member that vanished (SIGKILL) holds up a rebalance at most this long.
    rebalanceTimeout: options.sessionTimeoutMs + 5_000,
    maxWaitTime: fetchWaitMs,
    autocommit: false,
    // The client's default deals only the leader's topics, to every member: in a group whose
    // members read different topics a partition would go to one that never reads it (assign.ts).
    partitionAssigner: subscribedRoundRobin,
  });
  try {
    const stream = await consumer.consume({
      topics: [topic],
      autocommit: false,
      mode: "committed",
      fallbackMode: "earliest",
      maxWaitTime: fetchWaitMs,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      rebalanceTimeout: options.sessionTimeoutMs + 5_000,
    });
    return { consumer, stream };
  } catch (error) {
    await consumer.close(true).catch(() => {});
    throw error;
  }
}

/** Commits next offsets; resolves once the coordinator stored them. */
export async function commitOffsets(
  consumer: BufferConsumer,
  offsets: readonly PartitionOffset[],
): Promise<void> {
  // leaderEpoch -1: "unknown" (KIP-320); the broker then skips the fencing check on epochs.
  await consumer.commit({
    offsets: offsets.map((o) => ({
      topic: o.topic,
      partition: o.partition,
      offset: BigInt(o.offset),
      leaderEpoch: -1,
    })),
  });
}

/** Stops fetching and leaves the group cleanly (so the next member does not wait a session timeout). Never rejects. */
export async function closeConsumer(consumer: BufferConsumer, stream: BufferStream): Promise<void> {
  await stream.close().catch(() => {});
  await consumer.close().catch(() => consumer.close(true).catch(() => {}));
}

/** A message as the member hands it out. */
export const incoming = (m: BufferMessage): IncomingRecord => ({
  topic: m.topic,
  partition: m.partition,
  offset: Number(m.offset),
  key: text(m.key),
  value: text(m.value),
});
