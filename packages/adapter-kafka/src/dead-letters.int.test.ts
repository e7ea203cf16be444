import { randomUUID } from "node:crypto";
import {
  consumerGroups,
  DecodeError,
  decodeState,
  EventLog,
  encodeEvent,
  makeAggregator,
  newEntity,
  StateLog,
} from "@phasekit/core";
import { Effect, Logger } from "effect";
import { describe, expect, it } from "vitest";
import { groupName } from "./config.js";
import { KafkaDeadLetters } from "./dead-letters.js";
import { layerKafka } from "./layer.js";
import { createPlatformaticClient } from "./platformatic/client.js";
import { testBrokers } from "./testing/broker.js";

const brokers = await testBrokers();
const at = "2026-01-01T00:00:00Z";

describe("dead letters on Kafka", () => {
  it("the aggregator sends undecodable records to the DLQ with the error, logs where they were, and goes on", async () => {
    const prefix = `dlq-${randomUUID()}`;
    const entity = newEntity({ kind: "Model", id: "m1", account: "alice", spec: {} }, at);
    if (entity instanceof DecodeError) throw entity;
    const warnings: string[] = [];
    const capture = Logger.make(({ message }) => {
      warnings.push((Array.isArray(message) ? message : [message]).map(String).join(" "));
    });

    const program = Effect.gen(function* () {
      const events = yield* EventLog;
      const dlq = yield* KafkaDeadLetters;
      const bad = [
        { key: "m1", value: "{not json" },
        { key: "m1", value: JSON.stringify({ type: "Status", status: "Admitted" }) },
      ];
      const positions = yield* events.append([
        { key: "m1", value: encodeEvent({ type: "Create", entity }) },
        ...bad,
        {
          key: "m1",
          value: encodeEvent({
            type: "Status",
            status: "Admitted",
            reason: null,
            author: "orchestrator",
            at,
          }),
        },
      ]);
      // dlq.hook is a control-plane DeadLetterHook (this line type-checks that).
      const aggregator = yield* makeAggregator({ onDeadLetter: dlq.hook });
      let handled = 0;
      for (let i = 0; i < 100 && handled < positions.length; i++) handled += yield* aggregator.runOnce();
      expect(handled).toBe(positions.length);

      const letters = yield* dlq.readAll();
      expect(letters.map((l) => [l.topic, l.partition, l.offset, l.value])).toEqual(
        bad.map((b, i) => [events.name, positions[i + 1]!.partition, positions[i + 1]!.offset, b.value]),
      );
      expect(letters[0]!.error.issues).toEqual([{ path: "$", value: "{not json", expected: "JSON text" }]);
      expect(letters[1]!.error.issues.map((i) => i.path)).toEqual(
        expect.arrayContaining(["reason", "author", "at"]),
      );
      expect(letters.every((l) => l.consumer === consumerGroups.aggregator.group)).toBe(true);
      for (const p of positions.slice(1, 3))
        expect(warnings.some((w) => w.includes(`${events.name}[${p.partition}]@${p.offset}`))).toBe(true);

      // It went on: the good event after the bad ones was folded into the state log.
      const states = (yield* (yield* StateLog).readAll()).map((r) => decodeState(r.key, r.value));
      expect(states.at(-1)).toMatchObject({ version: 2, entity: { status: "Admitted" } });
      return positions;
    });
    const positions = await Effect.runPromise(
      Effect.scoped(program).pipe(
        Effect.provide(layerKafka({ brokers, prefix })),
        Effect.provide(Logger.layer([capture])),
      ),
    );

    // ...and committed past them, so a restart does not see them again.
    const client = createPlatformaticClient({ brokers, clientId: "dlq-test", timeoutMs: 10_000 });
    try {
      const group = groupName({ prefix }, consumerGroups.aggregator.group);
      const committed = await client.committed(group, `${prefix}.workflows.events`);
      expect(committed).toEqual([
        {
          topic: `${prefix}.workflows.events`,
          partition: positions[0]!.partition,
          offset: positions.at(-1)!.offset + 1,
        },
      ]);
    } finally {
      await client.close();
    }
  });
});
