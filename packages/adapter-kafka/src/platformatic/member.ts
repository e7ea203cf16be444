import { Consumer, type Message, type MessagesStream } from "@platformatic/kafka";
import type { GroupMember, IncomingRecord, JoinOptions, PartitionOffset } from "../client.js";
import { subscribedRoundRobin } from "./assign.js";

/**
 * A consumer-group member on `@platformatic/kafka`: the library's message stream (committed offsets,
 * earliest when the group has none, no autocommit) drained into a small buffer that `poll` takes
 * from. Fetching pauses while the buffer is full.
 *
 * Rebalances: after every join the library re-reads the committed offsets of the partitions it is
 * given and fetches from there, so what this member was given but did not commit comes again (to it
 * or to the new owner). The buffer is kept across a join: a partition without any committed offset
 * keeps its fetch position, so dropping what was buffered from it would skip those records. What
 * the buffer holds from a revoked partition is still handed out (a duplicate of what the new owner
 * reads; the contract allows duplicates, never a skip). A poll never returns a partition's records
 * out of offset order: it stops early where a rewind would put an older record after a newer one.
 *
 * @module
 */

/** The connection settings every client object shares. */
export interface ConnectionOptions {
  readonly clientId: string;
  readonly bootstrapBrokers: string[];
  readonly timeout: number;
}

type BufferMessage = Message<Buffer, Buffer, Buffer, Buffer>;

const text = (b: Buffer | undefined | null) => (b ? b.toString("utf8") : "");

/** How long a fetch waits on the broker when nothing is new (also bounds how long a close waits for it). */
const fetchWaitMs = 250;

class PlatformaticMember implements GroupMember {
  private buffer: IncomingRecord[] = [];
  private head = 0;
  private paused = false;
  private closing = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly consumer: Consumer<Buffer, Buffer, Buffer, Buffer>,
    private readonly stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>,
    private readonly capacity: number,
  ) {
    stream.on("data", (m: BufferMessage) => this.receive(m));
    stream.on("error", (e: Error) => this.fail(e));
    stream.on("close", () => this.fail(new Error("the consumer stream closed")));
    // The client emits `error` on the consumer itself when a rejoin after a rebalance fails; unheard,
    // Node throws it out of the event loop and the process dies (`serve` with it). The member fails
    // instead: its next poll throws, and the service over it restarts from the committed offsets.
    consumer.on("error", (e: Error) => this.fail(e));
  }

  private get size() {
    return this.buffer.length - this.head;
  }

  private receive(m: BufferMessage) {
    this.buffer.push({
      topic: m.topic,
      partition: m.partition,
      offset: Number(m.offset),
      key: text(m.key),
      value: text(m.value),
    });
    if (!this.paused && this.size >= this.capacity) {
      this.paused = true;
      this.stream.pause();
    }
    this.notify();
  }

  private fail(error: Error) {
    if (this.closing) return;
    this.failure ??= error;
    this.notify();
  }

  private notify() {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private resumeIfRoom() {
    if (this.paused && this.size <= this.capacity / 2 && !this.closing) {
      this.paused = false;
      this.stream.resume();
    }
  }

  private async waitForData(waitMs: number) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, waitMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async poll(max: number, waitMs: number): Promise<IncomingRecord[]> {
    if (this.closing) throw new Error("the consumer left its group");
    if (this.size === 0 && !this.failure && waitMs > 0) await this.waitForData(waitMs);
    if (this.failure) throw this.failure;
    const out: IncomingRecord[] = [];
    // The highest offset handed out per partition (a member reads one topic): no key string per record.
    const last: number[] = [];
    while (out.length < max && this.head < this.buffer.length) {
      const r = this.buffer[this.head]!;
      const previous = last[r.partition];
      if (previous !== undefined && r.offset <= previous) break; // a rewind: the rest next poll
      last[r.partition] = r.offset;
      out.push(r);
      this.head++;
    }
    if (this.head > 4096 || this.head === this.buffer.length) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
    this.resumeIfRoom();
    return out;
  }

  async commit(offsets: readonly PartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    // leaderEpoch -1: "unknown" (KIP-320); the broker then skips the fencing check on epochs.
    await this.consumer.commit({
      offsets: offsets.map((o) => ({
        topic: o.topic,
        partition: o.partition,
        offset: BigInt(o.offset),
        leaderEpoch: -1,
      })),
    });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.notify();
    await this.stream.close().catch(() => {});
    // A clean LeaveGroup, so the next member does not wait a session timeout for this one.
    await this.consumer.close().catch(() => this.consumer.close(true).catch(() => {}));
  }
}

/**
 * The member over a consumer already consuming `stream`: the last step of {@link joinGroup}, apart
 * for the adapter's tests, which inject what the client emits.
 */
export function memberOf(
  consumer: Consumer<Buffer, Buffer, Buffer, Buffer>,
  stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>,
  capacity: number,
): GroupMember {
  return new PlatformaticMember(consumer, stream, capacity);
}

/**
 * Joins `group` on `topic` and starts fetching from the group's committed offsets (the start of a
 * partition that has none).
 */
export async function joinGroup(
  connection: ConnectionOptions,
  group: string,
  topic: string,
  options: JoinOptions,
): Promise<GroupMember> {
  const consumer = new Consumer<Buffer, Buffer, Buffer, Buffer>({
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
    return memberOf(consumer, stream, options.bufferSize);
  } catch (error) {
    await consumer.close(true).catch(() => {});
    throw error;
  }
}
