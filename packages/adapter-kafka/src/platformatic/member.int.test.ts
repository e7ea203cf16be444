import { randomUUID } from "node:crypto";
import { Consumer } from "@platformatic/kafka";
import { describe, expect, it } from "vitest";
import { testBrokers } from "../testing/broker.js";
import { createPlatformaticClient } from "./client.js";
import { memberOf } from "./member.js";

const brokers = await testBrokers();

describe("a group member on @platformatic/kafka, on the real broker", () => {
  it("an error the client emits on its consumer (a failed rejoin) fails the member's next poll, not the process", async () => {
    const topic = `member-error-${randomUUID()}`;
    const client = createPlatformaticClient({ brokers, clientId: "member-error-test", timeoutMs: 10_000 });
    const consumer = new Consumer<Buffer, Buffer, Buffer, Buffer>({
      clientId: "member-error-test",
      bootstrapBrokers: [...brokers],
      groupId: `member-error-${randomUUID()}`,
      autocommit: false,
    });
    try {
      await client.ensureTopics([{ name: topic, partitions: 1, replicationFactor: -1, configs: {} }]);
      const stream = await consumer.consume({
        topics: [topic],
        autocommit: false,
        mode: "committed",
        fallbackMode: "earliest",
      });
      const member = memberOf(consumer, stream, 100);
      const failure = new Error("rejoin failed");
      // What the client does when a rejoin fails (consumer.js, `#joinGroup`'s callback). With no
      // listener, `emit` throws it: from a timer, that ends the process.
      expect(consumer.emit("error", failure)).toBe(true);
      await expect(member.poll(10, 0)).rejects.toBe(failure);
      await member.close();
    } finally {
      await consumer.close(true).catch(() => {});
      await client.close();
    }
  }, 60_000);
});
