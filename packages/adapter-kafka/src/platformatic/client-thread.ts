import { parentPort } from "node:worker_threads";
import { messageOf } from "../message-of.ts";
import {
  type BufferConsumer,
  type BufferMessage,
  type BufferStream,
  closeConsumer,
  commitOffsets,
  openConsumer,
  text,
} from "./group-consumer.ts";
import { openProducer, produceTo, type StringProducer } from "./produce.ts";
import type { Positions, Reply, Request } from "./thread-protocol.js";

/**
 * The client thread: hosts the consumer of every group member of the process, and the producer of
 * every client (`on-thread.ts` is the other end). The Kafka client's fetching, record parsing and
 * encoding, and its network I/O, run here, beside the thread that folds the records, as the Java
 * client keeps its network I/O on a thread of its own. Records go across in runs, column by column
 * (`thread-protocol.ts`).
 *
 * Node loads this file as it is (types stripped): see `group-consumer.ts`.
 *
 * @module
 */

const port = parentPort!;

/** A member's consumer, and the records received and not yet sent. */
interface Hosted {
  readonly consumer: BufferConsumer;
  readonly stream: BufferStream;
  readonly topic: string;
  partitions: number[];
  offsets: number[];
  texts: string[];
  sendScheduled: boolean;
}

const hosted = new Map<number, Hosted>();
const producers = new Map<number, StringProducer>();

/** Records in one message at most: a fetch response is several of them, so folding starts early. */
const maxRun = 2_000;

const reply = (message: Reply, transfer: ArrayBufferLike[] = []) =>
  port.postMessage(message, transfer as ArrayBuffer[]);

function send(member: number, h: Hosted) {
  h.sendScheduled = false;
  if (h.partitions.length === 0 || !hosted.has(member)) return;
  const partitions = Int32Array.from(h.partitions);
  const offsets = Float64Array.from(h.offsets);
  reply({ type: "records", member, topic: h.topic, partitions, offsets, texts: h.texts }, [
    partitions.buffer,
    offsets.buffer,
  ]);
  h.partitions = [];
  h.offsets = [];
  h.texts = [];
}

function receive(member: number, h: Hosted, m: BufferMessage) {
  h.partitions.push(m.partition);
  h.offsets.push(Number(m.offset));
  h.texts.push(text(m.key), text(m.value));
  if (h.partitions.length >= maxRun) send(member, h);
  else if (!h.sendScheduled) {
    // After the rest of this fetch response: the client hands out a response's records in one go.
    h.sendScheduled = true;
    setImmediate(() => send(member, h));
  }
}

async function join(request: Extract<Request, { type: "join" }>) {
  const { member, connection, group, topic, options } = request;
  const { consumer, stream } = await openConsumer(connection, group, topic, options);
  const h: Hosted = { consumer, stream, topic, partitions: [], offsets: [], texts: [], sendScheduled: false };
  hosted.set(member, h);
  const failed = (error: unknown) => reply({ type: "failed", member, error: messageOf(error) });
  stream.on("data", (m: BufferMessage) => receive(member, h, m));
  stream.on("error", failed);
  stream.on("close", () => failed(new Error("the consumer stream closed")));
  // A failed rejoin after a rebalance is emitted on the consumer (see member.ts).
  consumer.on("error", failed);
}

async function produce(request: Extract<Request, { type: "produce" }>): Promise<Positions> {
  let producer = producers.get(request.producer);
  if (!producer) {
    producer = openProducer(request.connection);
    producers.set(request.producer, producer);
  }
  const { texts } = request;
  const records = [];
  for (let i = 0; i < texts.length; i += 2) records.push({ key: texts[i]!, value: texts[i + 1]! });
  const positions = await produceTo(producer, request.topic, records);
  return {
    partitions: Int32Array.from(positions, (p) => p.partition),
    offsets: Float64Array.from(positions, (p) => p.offset),
  };
}

async function release(number: number) {
  const producer = producers.get(number);
  producers.delete(number);
  await producer?.close().catch(() => producer.close(true).catch(() => {}));
}

/** Carries out a request; a produce answers with its positions. */
async function handle(request: Request): Promise<Positions | undefined> {
  switch (request.type) {
    case "produce":
      return produce(request);
    case "join":
      await join(request);
      return undefined;
    case "release":
      await release(request.producer);
      return undefined;
  }
  const h = hosted.get(request.member);
  switch (request.type) {
    case "commit":
      if (!h) throw new Error("the consumer left its group");
      await commitOffsets(h.consumer, request.offsets);
      return undefined;
    case "close":
      hosted.delete(request.member);
      if (h) await closeConsumer(h.consumer, h.stream);
      return undefined;
    case "pause":
      h?.stream.pause();
      return undefined;
    case "resume":
      h?.stream.resume();
      return undefined;
  }
}

port.on("message", (request: Request) => {
  const call = "call" in request ? request.call : undefined;
  handle(request).then(
    (positions) => {
      if (call === undefined) return;
      if (!positions) return reply({ type: "done", call });
      reply({ type: "done", call, positions }, [positions.partitions.buffer, positions.offsets.buffer]);
    },
    (error: unknown) => {
      if (call !== undefined) reply({ type: "done", call, error: messageOf(error) });
      else if ("member" in request)
        reply({ type: "failed", member: request.member, error: messageOf(error) });
    },
  );
});
