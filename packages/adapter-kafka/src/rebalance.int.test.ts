import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { GroupMember, IncomingRecord, RecordPosition } from "./client.js";
import { nextOffsets } from "./log.js";
import { createPlatformaticClient } from "./platformatic/client.js";
import { testBrokers } from "./testing/broker.js";

const brokers = await testBrokers();
const join = { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 500, bufferSize: 50 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const id = (p: { partition: number; offset: number }) => `${p.partition}/${p.offset}`;

/** A member that handles (records) what it polls and commits it after, until told to stop. */
function work(member: GroupMember, name: string, handled: Map<string, string[]>, commits = true) {
  let stop = false;
  const done = (async () => {
    while (!stop) {
      const batch: IncomingRecord[] = await member.poll(20, 100);
      for (const r of batch) handled.set(id(r), [...(handled.get(id(r)) ?? []), name]);
      if (commits && batch.length > 0) await member.commit(nextOffsets(batch[0]!.topic, batch));
    }
  })();
  return async () => {
    stop = true;
    await done;
  };
}

describe("consumer-group rebalances on Kafka", () => {
  it("members joining and leaving mid-stream (one without committing) skip no record", async () => {
    const client = createPlatformaticClient({ brokers, clientId: "rebalance-test", timeoutMs: 10_000 });
    const topic = `rebalance-${randomUUID()}`;
    // A group of its own: the broker is shared, and a member left in "workers" by another run (alive
    // until its session times out) would take partitions of this run's rebalances.
    const group = `workers-${randomUUID()}`;
    const handled = new Map<string, string[]>();
    try {
      await client.ensureTopics([{ name: topic, partitions: 6, replicationFactor: -1, configs: {} }]);
      const produced: RecordPosition[] = [];
      const produce = async (rounds: number) => {
        for (let round = 0; round < rounds; round++) {
          const records = Array.from({ length: 30 }, (_, k) => ({ key: `k${k}`, value: `${round}` }));
          produced.push(...(await client.produce(topic, records)));
          await sleep(20);
        }
      };

      // Produces `rounds` rounds, then more until `name` has handled a record: a member's first
      // assignment arrives after the group's join (and the broker's initial rebalance delay), so
      // a fixed number of rounds can all land before it owns a partition.
      const produceUntilHandledBy = async (name: string, rounds: number) => {
        await produce(rounds);
        const deadline = Date.now() + 30_000;
        const seen = () => [...handled.values()].some((by) => by.includes(name));
        while (!seen() && Date.now() < deadline) await produce(1);
      };

      const a = await client.join(group, topic, join);
      const stopA = work(a, "a", handled);
      await produceUntilHandledBy("a", 10);
      const b = await client.join(group, topic, join); // rebalance: a and b share the partitions
      const stopB = work(b, "b", handled);
      await produceUntilHandledBy("b", 10);
      // a stops handling without committing its last batches, then leaves: rebalance again.
      await stopA();
      const stopA2 = work(a, "a-uncommitted", handled, false);
      await produceUntilHandledBy("a-uncommitted", 3);
      await stopA2();
      await a.close();
      const c = await client.join(group, topic, join);
      const stopC = work(c, "c", handled);
      await produceUntilHandledBy("c", 10);

      // Everything produced is handled at least once, by whichever member owned it.
      const deadline = Date.now() + 60_000;
      while (produced.some((p) => !handled.has(id(p))) && Date.now() < deadline) await sleep(200);
      expect(produced.filter((p) => !handled.has(id(p))).map(id)).toEqual([]);
      // What only a handled without committing was handled again by a committing member.
      const onlyUncommitted = [...handled].filter(([, by]) => by.every((n) => n === "a-uncommitted"));
      expect(onlyUncommitted.map(([k]) => k)).toEqual([]);
      const counts: Record<string, number> = {};
      for (const [, by] of handled) for (const n of by) counts[n] = (counts[n] ?? 0) + 1;
      // The rebalances did happen: every member was given a share.
      expect(Object.keys(counts).sort()).toEqual(["a", "a-uncommitted", "b", "c"]);
      await Promise.all([stopB(), stopC()]);

      // The group's committed offsets reach the end of every partition.
      const ends = new Map<number, number>();
      for (const p of produced) ends.set(p.partition, Math.max(ends.get(p.partition) ?? 0, p.offset + 1));
      const committed = await client.committed(group, topic);
      expect(new Map(committed.map((c) => [c.partition, c.offset]))).toEqual(ends);
      await Promise.all([b.close(), c.close()]);
    } finally {
      await client.close();
    }
  });
});
