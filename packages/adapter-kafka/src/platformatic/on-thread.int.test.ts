import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { GroupMember, IncomingRecord, KafkaClient } from "../client.js";
import { testBrokers } from "../testing/broker.js";
import { createPlatformaticClient } from "./client.js";
import { stopClientThread } from "./on-thread.js";

const brokers = await testBrokers();
const join = { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 500, bufferSize: 1_000 };

const clientOf = (clientThread: boolean) =>
  createPlatformaticClient({ brokers, clientId: "on-thread-test", timeoutMs: 10_000, clientThread });

/** A topic of three partitions holding `count` records, keyed k0..k9. */
async function topicWith(client: KafkaClient, count: number) {
  const topic = `on-thread-${randomUUID()}`;
  await client.ensureTopics([{ name: topic, partitions: 3, replicationFactor: -1, configs: {} }]);
  const records = Array.from({ length: count }, (_, i) => ({
    key: `k${i % 10}`,
    value: `{"i":${i},"text":"é✓"}`,
  }));
  await client.produce(topic, records);
  return topic;
}

async function pollAll(member: GroupMember, count: number): Promise<IncomingRecord[]> {
  const out: IncomingRecord[] = [];
  for (let empty = 0; out.length < count && empty < 50; ) {
    const got = await member.poll(500, 200);
    out.push(...got);
    empty = got.length === 0 ? empty + 1 : 0;
  }
  return out;
}

const byPosition = (records: readonly IncomingRecord[]) =>
  [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);

describe("group members and producers on the client thread, on the real broker", () => {
  it("hand out exactly the records a member on the caller's thread does (keys, values, partitions, offsets)", async () => {
    const onThread = clientOf(true);
    const here = clientOf(false);
    try {
      const topic = await topicWith(onThread, 3_000);
      const read = async (client: KafkaClient) => {
        const member = await client.join(`g-${randomUUID()}`, topic, join);
        const records = await pollAll(member, 3_000);
        await member.close();
        return byPosition(records);
      };
      const [threaded, local] = [await read(onThread), await read(here)];
      expect(threaded).toHaveLength(3_000);
      expect(threaded).toEqual(local);
    } finally {
      await Promise.all([onThread.close(), here.close()]);
    }
  }, 60_000);

  it("a join the broker cannot serve rejects with the client's reason, carried across from the thread", async () => {
    const client = createPlatformaticClient({
      brokers: ["127.0.0.1:1"],
      clientId: "on-thread-test",
      timeoutMs: 2_000,
    });
    try {
      await expect(client.join(`g-${randomUUID()}`, "nowhere", join)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await client.close();
    }
  }, 60_000);

  it("when the thread dies, a member's next poll throws, and a new member (on a new thread) resumes from the commit; the producer comes back too", async () => {
    const client = clientOf(true);
    try {
      const topic = await topicWith(client, 100);
      const group = `g-${randomUUID()}`;
      // The broker's shortest session (6 s): the dead member's consumer never left, so the next join
      // waits for the coordinator to time it out.
      const short = { ...join, sessionTimeoutMs: 6_000 };
      const first = await client.join(group, topic, short);
      const records = byPosition(await pollAll(first, 100));
      expect(records).toHaveLength(100);
      // Commit partition 0 whole, nothing of the others.
      const partition0 = records.filter((r) => r.partition === 0);
      await first.commit([{ topic, partition: 0, offset: partition0.at(-1)!.offset + 1 }]);

      await stopClientThread();
      await expect(first.poll(10, 1_000)).rejects.toThrow(/client thread exited/);
      await first.close(); // never rejects, even with its thread gone

      const second = await client.join(group, topic, short);
      const again = await pollAll(second, 100 - partition0.length);
      expect(again.map((r) => r.partition)).not.toContain(0);
      expect(byPosition(again)).toEqual(records.filter((r) => r.partition !== 0));
      await second.close();
      // The client's producer lived on the dead thread too: the next append connects a new one there.
      const [landed] = await client.produce(topic, [{ key: "k1", value: "after" }]);
      expect(landed!.offset).toBeGreaterThanOrEqual(0);
    } finally {
      await client.close();
    }
  }, 60_000);
});
