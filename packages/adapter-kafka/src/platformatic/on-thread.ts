import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { GroupMember, JoinOptions, OutgoingRecord, PartitionOffset, RecordPosition } from "../client.js";
import { BufferedMember } from "./buffered-member.js";
import type { ConnectionOptions } from "./group-consumer.js";
import type { ProducerConnection } from "./produce.js";
import type { Done, Positions, Records, Reply, Request } from "./thread-protocol.js";

/**
 * The main thread's end of the client thread (`client-thread.ts`), where group members' consumers
 * and clients' producers run: the Kafka client's fetching, parsing and encoding of records, about
 * half of what handling a consumed record costs, leave the thread that folds them. One thread serves
 * the whole process; it starts at the first use and then stays (loading the Kafka client takes it a
 * third of a second), holding the process open only while a member is open or an answer is awaited.
 * If it dies, every member's next poll and every call in flight fail with the reason, and the next
 * use starts another.
 *
 * @module
 */

/**
 * The thread's script beside this module (`.ts` when run from the sources), or undefined when it is
 * not there (a bundle that left it out): the client then runs everything on the caller's thread.
 *
 * @example
 * ```ts
 * const script = clientThreadScript(); // file:///…/dist/client-thread.js
 * ```
 */
export function clientThreadScript(): URL | undefined {
  const name = import.meta.url.endsWith(".ts") ? "./client-thread.ts" : "./client-thread.js";
  const url = new URL(name, import.meta.url);
  return url.protocol === "file:" && existsSync(fileURLToPath(url)) ? url : undefined;
}

type Waiting = { resolve: (positions: Positions | undefined) => void; reject: (e: Error) => void };

class ClientThread {
  private readonly worker: Worker;
  private readonly members = new Map<number, ThreadMember>();
  private readonly calls = new Map<number, Waiting>();
  private dead: Error | undefined;

  constructor(script: URL) {
    this.worker = new Worker(script);
    this.worker.unref();
    this.worker.on("message", (reply: Reply) => this.onReply(reply));
    this.worker.on("error", (error) =>
      this.die(new Error(`the Kafka client thread failed: ${error.message}`)),
    );
    this.worker.on("exit", (code) => this.die(new Error(`the Kafka client thread exited with code ${code}`)));
  }

  get alive() {
    return this.dead === undefined;
  }

  async join(connection: ConnectionOptions, group: string, topic: string, options: JoinOptions) {
    const id = nextNumber();
    // Known before the join is asked for: records can arrive before its answer.
    const member = new ThreadMember(this, id, options.bufferSize);
    this.members.set(id, member);
    try {
      await this.call({ type: "join", member: id, call: nextNumber(), connection, group, topic, options });
      return member;
    } catch (error) {
      this.members.delete(id);
      this.holdOpen();
      throw error;
    }
  }

  /** Sends a request and waits for its answer. */
  call(request: Extract<Request, { call: number }>): Promise<Positions | undefined> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.calls.set(request.call, { resolve, reject });
      this.holdOpen();
      this.worker.postMessage(request);
    });
  }

  /** A request that is not answered. */
  tell(request: Extract<Request, { type: "pause" | "resume" }>) {
    if (!this.dead) this.worker.postMessage(request);
  }

  async leave(id: number) {
    try {
      await this.call({ type: "close", member: id, call: nextNumber() });
    } catch {
      // Leaving never fails: a dead thread took the consumer with it.
    } finally {
      this.members.delete(id);
      this.holdOpen();
    }
  }

  /** Keeps the process alive while a member is open or an answer is awaited, as the client's own sockets would. */
  private holdOpen() {
    if (this.members.size > 0 || this.calls.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private onReply(reply: Reply) {
    switch (reply.type) {
      case "records":
        this.members.get(reply.member)?.receive(reply);
        return;
      case "failed":
        this.members.get(reply.member)?.failWith(new Error(reply.error));
        return;
      case "done":
        return this.answer(reply);
    }
  }

  private answer({ call, error, positions }: Done) {
    const waiting = this.calls.get(call);
    this.calls.delete(call);
    this.holdOpen();
    if (error === undefined) waiting?.resolve(positions);
    else waiting?.reject(new Error(error));
  }

  private die(error: Error) {
    if (this.dead) return;
    this.dead = error;
    if (current === this) current = undefined;
    for (const member of this.members.values()) member.failWith(error);
    for (const waiting of this.calls.values()) waiting.reject(error);
    this.calls.clear();
    this.worker.unref();
  }

  stop() {
    return this.worker.terminate();
  }
}

class ThreadMember extends BufferedMember {
  constructor(
    private readonly thread: ClientThread,
    private readonly id: number,
    capacity: number,
  ) {
    super(capacity);
  }

  receive({ topic, partitions, offsets, texts }: Records) {
    for (let i = 0; i < partitions.length; i++)
      this.add({
        topic,
        partition: partitions[i]!,
        offset: offsets[i]!,
        key: texts[2 * i]!,
        value: texts[2 * i + 1]!,
      });
    this.received();
  }

  failWith(error: Error) {
    this.fail(error);
  }

  protected pauseFetching() {
    this.thread.tell({ type: "pause", member: this.id });
  }

  protected resumeFetching() {
    this.thread.tell({ type: "resume", member: this.id });
  }

  protected async commitOffsets(offsets: readonly PartitionOffset[]) {
    await this.thread.call({ type: "commit", member: this.id, call: nextNumber(), offsets });
  }

  protected leave() {
    return this.thread.leave(this.id);
  }
}

let current: ClientThread | undefined;
let numbers = 0;
/** Members, producers and calls are numbered by the main thread, once for the process. */
const nextNumber = () => numbers++;

const threadOf = (script: URL) => {
  if (!current?.alive) current = new ClientThread(script);
  return current;
};

/**
 * Joins `group` on `topic` with the consumer on the client thread (started by its first use).
 *
 * @example
 * ```ts
 * const member = await joinOnThread(clientThreadScript()!, connection, "dyff.aggregator", "dyff.workflows.events", options);
 * ```
 */
export function joinOnThread(
  script: URL,
  connection: ConnectionOptions,
  group: string,
  topic: string,
  options: JoinOptions,
): Promise<GroupMember> {
  return threadOf(script).join(connection, group, topic, options);
}

/**
 * Produces `records` to `topic` with producer number `producer` on the client thread (a new number
 * when undefined; the thread connects it on its first request). Returns the number and where each
 * record landed.
 *
 * @example
 * ```ts
 * const { producer, positions } = await produceOnThread(script, connection, undefined, topic, records);
 * ```
 */
export async function produceOnThread(
  script: URL,
  connection: ProducerConnection,
  producer: number | undefined,
  topic: string,
  records: readonly OutgoingRecord[],
): Promise<{ producer: number; positions: RecordPosition[] }> {
  const number = producer ?? nextNumber();
  const texts: string[] = [];
  for (const r of records) texts.push(r.key, r.value);
  const request = {
    type: "produce",
    producer: number,
    call: nextNumber(),
    connection,
    topic,
    texts,
  } as const;
  const answer = await threadOf(script).call(request);
  if (!answer || answer.partitions.length !== records.length)
    throw new Error(
      `the client thread reported ${answer?.partitions.length ?? 0} positions for ${records.length} records`,
    );
  const positions: RecordPosition[] = [];
  for (let i = 0; i < answer.partitions.length; i++)
    positions.push({ partition: answer.partitions[i]!, offset: answer.offsets[i]! });
  return { producer: number, positions };
}

/** Closes producer number `producer` on the client thread, if it runs. Never rejects. */
export async function releaseOnThread(producer: number): Promise<void> {
  if (!current?.alive) return;
  await current.call({ type: "release", producer, call: nextNumber() }).catch(() => {});
}

/** Terminates the client thread, if one runs: its members' next polls and the calls in flight fail. For tests. */
export async function stopClientThread(): Promise<void> {
  await current?.stop();
}
