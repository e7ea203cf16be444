import { randomUUID } from "node:crypto";
import { EventLog } from "@phasekit/core";
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { layerKafka } from "./layer.js";
import { testBrokers } from "./testing/broker.js";

const brokers = await testBrokers();

describe("appending to Kafka", () => {
  it("one append larger than the broker's batch limit (1 MiB) lands whole, in order, at the positions it reports", async () => {
    const records = Array.from({ length: 3000 }, (_, i) => ({
      key: `k${i % 40}`,
      value: `${i}:${"x".repeat(1000)}`,
    }));
    const program = Effect.gen(function* () {
      const events = yield* EventLog;
      const positions = yield* events.append(records);
      const all = yield* events.readAll();
      return { positions, all };
    });
    const { positions, all } = await Effect.runPromise(
      Effect.scoped(program).pipe(Effect.provide(layerKafka({ brokers, prefix: `append-${randomUUID()}` }))),
    );
    expect(all).toHaveLength(records.length);
    const at = new Map(all.map((r) => [`${r.partition}/${r.offset}`, r]));
    for (const [i, p] of positions.entries())
      expect(at.get(`${p.partition}/${p.offset}`)).toMatchObject(records[i]!);
  });
});
