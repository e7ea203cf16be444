import { randomUUID } from "node:crypto";
import { KafkaDeadLetters, layerKafka, testBrokers } from "@phasekit/adapter-kafka";
import { layerMemory } from "@phasekit/adapter-memory";
import { consumerGroups, type ProducerRecord } from "@phasekit/core";
import { Effect, Logger } from "effect";
import { describe, expect, it } from "vitest";
import { recordReliability } from "../../../../scripts/reliability/record.js";
import { collectDeadLetters, type PoisonSource, runWithPoison } from "./poison.js";

// A poison message on each topic the control plane consumes, on the real Kafka broker: the event
// log (read by the aggregator) and the compacted state log (read by the sink and the
// orchestrator). The whole control plane runs a quota-bound workload in this process, its logs on
// Kafka (the key-value store, the cluster and the view in memory); every round, malformed records
// go onto one topic under the keys of entities still at work. Each must reach the dead-letter
// topic, once per consumer that reads it, naming the field, and cost nothing else.

const brokers = await testBrokers();

/** Malformed records of each topic: not JSON, a field missing, a field of the wrong type, an unknown field. */
const poison = {
  events: [
    "{not json",
    JSON.stringify({ type: "Status", status: "Admitted" }),
    JSON.stringify({ type: "Terminate", by: 7, at: "2026-01-01T00:00:00Z" }),
    JSON.stringify({ type: "Launch", at: "2026-01-01T00:00:00Z" }),
  ],
  state: [
    "",
    JSON.stringify({ version: "one", entity: null }),
    JSON.stringify({ version: 99 }),
    JSON.stringify({ version: 3, entity: { kind: "Model" }, extra: true }),
  ],
};
const source =
  (values: readonly string[]): PoisonSource =>
  (round, keys) =>
    values.map((value, i) => ({ key: keys[(round + i) % keys.length]!, value }) satisfies ProducerRecord);
const none: PoisonSource = () => [];

const cases = [
  {
    topic: "events" as const,
    consumers: [consumerGroups.aggregator.group],
    options: { events: source(poison.events), state: none },
  },
  {
    topic: "state" as const,
    consumers: [consumerGroups.sink.group, consumerGroups.orchestrator.group],
    options: { events: none, state: source(poison.state) },
  },
];

describe("a poison message on each topic, on the real Kafka broker", () => {
  for (const c of cases) {
    const name = `malformed records on the ${c.topic} topic every round: each on the dead-letter topic once per consumer, naming the field; 0 lost status changes, 0 double admissions, 0 quota breaches`;
    it(name, async () => {
      const prefix = `poison-${c.topic}-${randomUUID()}`;
      const dead = collectDeadLetters();
      const { run, stored } = await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const dlq = yield* KafkaDeadLetters;
            const kept = collectDeadLetters(dlq.hook);
            const run = yield* runWithPoison({
              entities: 60,
              ...c.options,
              onDeadLetter: (l) => Effect.andThen(kept.hook(l), dead.hook(l)),
            });
            return { run, stored: yield* dlq.readAll() };
          }),
        ).pipe(
          Effect.provide(layerKafka({ brokers, prefix, partitions: 3 })),
          Effect.provide(layerMemory({ seed: 7 })),
          // The dead letters are counted below; their warnings (one a letter) would only bury the result.
          Effect.provide(Logger.layer([])),
        ),
      );
      const injected = run.injected[c.topic];
      // On the dead-letter topic: every poison record, once for each consumer that reads its topic.
      const onTopic = stored.filter((l) => l.topic.endsWith(`.workflows.${c.topic}`));
      const expected = injected * c.consumers.length;
      const missing = Math.max(0, expected - onTopic.length);
      const unnamed = onTopic.filter(
        (l) => l.error.issues.length === 0 || l.error.issues.some((i) => !l.error.message.includes(i.path)),
      ).length;
      recordReliability({
        id: `kafka-poison-${c.topic}`,
        fault: `a poison message on the ${c.topic} topic (read by ${c.consumers.join(" and ")})`,
        backend: "real Kafka broker (event, state and dead-letter topics); control plane in one process",
        load: `${run.entities} Models, 3 accounts of 2 slots, a client terminating each admitted one: ${run.versions} status versions in ${run.rounds} rounds`,
        injected: `${poison[c.topic].length} malformed records every round (not JSON, a field missing, of the wrong type, unknown): ${injected} in all; ${onTopic.length} dead letters of ${expected} expected, ${unnamed} not naming the field`,
        lostStatusChanges: run.lostStatusChanges,
        doubleAdmissions: run.doubleAdmissions,
        quotaBreaches: run.quotaBreaches,
        command: `pnpm vitest run --project int packages/runtime/src/testing/poison.int.test.ts -t "${c.topic} topic"`,
        test: `packages/runtime/src/testing/poison.int.test.ts > ${name}`,
      });
      expect(injected).toBeGreaterThanOrEqual(poison[c.topic].length * 3);
      expect(new Set(onTopic.map((l) => l.consumer))).toEqual(new Set(c.consumers));
      expect({ missing, unnamed, letters: dead.letters.length }).toEqual({
        missing: 0,
        unnamed: 0,
        letters: expected,
      });
      expect(run.inconsistent).toEqual([]);
      expect({
        lost: run.lostStatusChanges,
        double: run.doubleAdmissions,
        breaches: run.quotaBreaches,
      }).toEqual({ lost: 0, double: 0, breaches: 0 });
    }, 300_000);
  }
});
