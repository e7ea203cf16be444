import { randomUUID } from "node:crypto";
import {
  consumerGroups,
  DecodeError,
  decodeState,
  EventLog,
  encodeEvent,
  makeAggregator,
  newEntity,
  type ProducerRecord,
  replayEvents,
  StateLog,
  type StateMessage,
} from "@phasekit/core";
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import type { GroupMember, KafkaClient, RecordPosition } from "./client.js";
import { groupName, topicNames } from "./config.js";
import { layerKafka } from "./layer.js";
import { nextOffsets } from "./log.js";
import { createPlatformaticClient } from "./platformatic/client.js";
import { testBrokers } from "./testing/broker.js";

// One consumer group, members reading different topics: what the aggregator's default group was on
// a shared broker before groups took the prefix (each test's aggregator on its own topics), and what
// any caller passing the same `group` for two logs still gets. The group's leader assigns every
// member's topics; a partition given to a member that does not read its topic is never read or
// committed (the aggregator's "one partition never committed" of issue 17).

const brokers = await testBrokers();
const join = { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 500, bufferSize: 100 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls and commits until stopped; returns the partitions it handled records of. */
function work(member: GroupMember) {
  const partitions = new Set<number>();
  let stop = false;
  const done = (async () => {
    while (!stop) {
      const batch = await member.poll(50, 100);
      for (const r of batch) partitions.add(r.partition);
      if (batch.length > 0) await member.commit(nextOffsets(batch[0]!.topic, batch));
    }
  })();
  return {
    partitions,
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

/** Produces a few records to every partition of `topic` (keys spread over the 3 partitions). */
async function produce(client: KafkaClient, topic: string, ends: Map<number, number>) {
  const records = Array.from({ length: 30 }, (_, k) => ({ key: `k${k}`, value: `${k}` }));
  const positions: RecordPosition[] = await client.produce(topic, records);
  for (const p of positions) ends.set(p.partition, Math.max(ends.get(p.partition) ?? 0, p.offset + 1));
}

async function committedUpTo(client: KafkaClient, group: string, topic: string, ends: Map<number, number>) {
  const committed = new Map((await client.committed(group, topic)).map((c) => [c.partition, c.offset]));
  return [...ends].every(([p, end]) => (committed.get(p) ?? 0) >= end);
}

describe("one consumer group, members on different topics", () => {
  it("every partition of each topic is read and committed by a member that reads that topic", async () => {
    const client = createPlatformaticClient({ brokers, clientId: "shared-group-test", timeoutMs: 10_000 });
    const run = randomUUID();
    const [ours, theirs] = [`shared-group-a-${run}`, `shared-group-b-${run}`];
    const group = `shared-group-${run}`;
    try {
      for (const name of [ours, theirs])
        await client.ensureTopics([{ name, partitions: 3, replicationFactor: -1, configs: {} }]);
      // `ours` joins first (the group's leader, which assigns), then a member on another topic.
      const a = await client.join(group, ours, join);
      const workA = work(a);
      const b = await client.join(group, theirs, join);
      const workB = work(b);
      const [endsA, endsB] = [new Map<number, number>(), new Map<number, number>()];
      const deadline = Date.now() + 60_000;
      let caughtUp = false;
      // Records keep coming (a rebalance may cut in), until both topics are committed to their ends.
      while (!caughtUp && Date.now() < deadline) {
        await produce(client, ours, endsA);
        await produce(client, theirs, endsB);
        await sleep(500);
        caughtUp =
          (await committedUpTo(client, group, ours, endsA)) &&
          (await committedUpTo(client, group, theirs, endsB));
      }
      await Promise.all([workA.stop(), workB.stop()]);
      expect([...workA.partitions].sort(), `partitions of ${ours} read by its member`).toEqual([0, 1, 2]);
      expect([...workB.partitions].sort(), `partitions of ${theirs} read by its member`).toEqual([0, 1, 2]);
      expect(caughtUp, "both topics committed to their ends within 60 s").toBe(true);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await client.close();
    }
  }, 120_000);
});

/** Models created, admitted and labelled: `n` entities, four events each, in rounds. */
function trickle(n: number): ProducerRecord[][] {
  const at = "2026-01-01T00:00:00Z";
  const rounds: ProducerRecord[][] = [[], [], [], []];
  for (let i = 0; i < n; i++) {
    const entity = newEntity({ kind: "Model", id: `m${i}`, account: "alice", spec: {} }, at);
    if (entity instanceof DecodeError) throw entity;
    const key = entity.id;
    rounds[0]!.push({ key, value: encodeEvent({ type: "Create", entity }) });
    rounds[1]!.push({ key, value: encodeEvent({ type: "Labels", labels: { r: "1" }, by: "alice", at }) });
    const admitted = {
      type: "Status",
      status: "Admitted",
      reason: null,
      author: "orchestrator",
      at,
    } as const;
    rounds[2]!.push({ key, value: encodeEvent(admitted) });
    rounds[3]!.push({ key, value: encodeEvent({ type: "Labels", labels: { r: "2" }, by: "alice", at }) });
  }
  // small appends, as a trickle: ten records at a time
  return rounds.flat().reduce<ProducerRecord[][]>((out, r, i) => {
    if (i % 10 === 0) out.push([]);
    out[out.length - 1]!.push(r);
    return out;
  }, []);
}

describe("the aggregator in a group shared with a member on another topic", () => {
  it("with the cache and the pipeline, commits every partition of its event log and writes the replay's state", async () => {
    const prefix = `shared-agg-${randomUUID()}`;
    const client = createPlatformaticClient({ brokers, clientId: "shared-agg-test", timeoutMs: 10_000 });
    const group = groupName({ prefix }, consumerGroups.aggregator.group);
    const events = topicNames({ prefix }).events;
    const other = `shared-agg-other-${randomUUID()}`;
    const ends = new Map<number, number>();
    let foreign: GroupMember | undefined;
    try {
      await client.ensureTopics([{ name: other, partitions: 3, replicationFactor: -1, configs: {} }]);
      const program = Effect.scoped(
        Effect.gen(function* () {
          const log = yield* EventLog;
          const aggregator = yield* makeAggregator({ cache: true, pipeline: true });
          // Another member of the same group, reading another topic (as another run's aggregator
          // did in the shared default group): the group rebalances with it in.
          foreign = yield* Effect.promise(() => client.join(group, other, join));
          for (const records of trickle(60)) {
            for (const p of yield* log.append(records))
              ends.set(p.partition, Math.max(ends.get(p.partition) ?? 0, p.offset + 1));
            yield* aggregator.runOnce();
          }
          const deadline = Date.now() + 60_000;
          let caughtUp = false;
          while (!caughtUp && Date.now() < deadline) {
            yield* aggregator.runOnce();
            caughtUp = yield* Effect.promise(() => committedUpTo(client, group, events, ends));
          }
          const newest = new Map<string, StateMessage>();
          for (const r of yield* (yield* StateLog).readAll()) {
            const s = decodeState(r.key, r.value);
            if (s instanceof DecodeError) throw s;
            if ((newest.get(r.key)?.version ?? 0) < s.version) newest.set(r.key, s);
          }
          return { caughtUp, newest, replay: replayEvents(yield* log.readAll()) };
        }),
      ).pipe(Effect.provide(layerKafka({ brokers, prefix })));
      const out = await Effect.runPromise(program);
      const committed = new Map((await client.committed(group, events)).map((c) => [c.partition, c.offset]));
      expect(committed, "committed offsets of every partition of the event log").toEqual(ends);
      expect(out.caughtUp).toBe(true);
      expect(out.newest).toEqual(out.replay);
    } finally {
      await foreign?.close();
      await client.close();
    }
  }, 120_000);
});
