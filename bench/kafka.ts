import { randomUUID } from "node:crypto";
import { createPlatformaticClient, layerKafka } from "@phasekit/adapter-kafka";
import { DecodeError, encodeEvent, makeAggregator, newEntity, type ProducerRecord } from "@phasekit/core";
import {
  Admin,
  Consumer,
  compatibilityPartitioner,
  ProduceAcks,
  Producer,
  stringDeserializers,
  stringSerializers,
} from "@platformatic/kafka";
import { Effect } from "effect";
import type { Figure } from "./report.js";

/**
 * The Kafka adapter on the real broker (issue 7, item 7): end-to-end events per second through the
 * workflows-aggregator (poll the event log, decode and validate each event, fold it with the
 * lifecycle machine, append the new versions to the compacted state log with an idempotent producer
 * acks=all, commit), against the raw client (`@platformatic/kafka`, no phasekit code) producing and
 * consuming the same records on the same broker in the same run. Goal: the aggregator keeps at least
 * 50% of the raw consume throughput. Needs PHASEKIT_KAFKA_BROKERS (`./test` or
 * `scripts/kafka/broker.sh start`); without it the case is skipped with a note.
 *
 * The records: Models, each Created, labelled, Admitted (twice: a duplicate), then Ready (a status
 * change the machine checks) and labelled again: six events per entity, keyed by entity id, about
 * 300 bytes each. The aggregator reads a backlog already on the topic, as after a restart.
 */
export interface KafkaSize {
  readonly events: number;
  readonly rounds: number;
}

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

/** `events` event-log records (six per entity), in per-entity order. */
export function benchEvents(events: number): ProducerRecord[] {
  const out: ProducerRecord[] = [];
  for (let i = 0; out.length < events; i++) {
    const id = `m-${i}`;
    const entity = newEntity({ kind: "Model", id, account: `acct-${i % 10}`, spec: {} }, at(0));
    if (entity instanceof DecodeError) throw entity;
    const admitted = {
      type: "Status",
      status: "Admitted",
      reason: null,
      author: "orchestrator",
      at: at(2),
    } as const;
    for (const e of [
      { type: "Create", entity } as const,
      { type: "Labels", labels: { team: "a" }, by: `acct-${i % 10}`, at: at(1) } as const,
      admitted,
      admitted,
      { type: "Status", status: "Ready", reason: null, author: "informer", at: at(3) } as const,
      { type: "Labels", labels: { team: "b" }, by: `acct-${i % 10}`, at: at(4) } as const,
    ])
      out.push({ key: id, value: encodeEvent(e) });
  }
  return out.slice(0, events);
}

/** This process's CPU time so far, in microseconds (every thread: GC helpers count). */
const cpuMicros = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const batches = <T>(xs: readonly T[], size: number) =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));

/** The raw client alone: produce the records (batches of 500, idempotent, acks=all), then consume them in a new group. */
async function rawRound(brokers: string[], records: readonly ProducerRecord[]) {
  const topic = `bench-raw-${randomUUID()}`;
  const admin = new Admin({ clientId: "bench", bootstrapBrokers: brokers });
  await admin.createTopics({ topics: [topic], partitions: 3, replicas: -1 });
  await admin.close();
  const producer = new Producer({
    clientId: "bench",
    bootstrapBrokers: brokers,
    serializers: stringSerializers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    partitioner: compatibilityPartitioner,
  });
  const t0 = performance.now();
  for (const batch of batches(records, 500))
    await producer.send({ messages: batch.map((r) => ({ topic, key: r.key, value: r.value })) });
  const produceSeconds = (performance.now() - t0) / 1000;
  await producer.close();

  const consumer = new Consumer({
    clientId: "bench",
    groupId: `bench-${randomUUID()}`,
    bootstrapBrokers: brokers,
    deserializers: stringDeserializers,
  });
  const t1 = performance.now();
  const c1 = cpuMicros();
  const stream = await consumer.consume({
    topics: [topic],
    mode: "earliest",
    autocommit: false,
    maxWaitTime: 250,
  });
  let seen = 0;
  for await (const _ of stream) if (++seen >= records.length) break;
  const consumeSeconds = (performance.now() - t1) / 1000;
  const consumeCpu = (cpuMicros() - c1) / records.length;
  await stream.close();
  await consumer.close();
  return { produce: records.length / produceSeconds, consume: records.length / consumeSeconds, consumeCpu };
}

/** The aggregator, from joining its group to having committed the whole backlog. */
async function aggregatorRound(brokers: string[], records: readonly ProducerRecord[]) {
  const prefix = `bench-${randomUUID()}`;
  const client = createPlatformaticClient({ brokers, clientId: "bench-load", timeoutMs: 10_000 });
  const layer = layerKafka({ brokers, prefix, clientId: "bench" });
  const events = `${prefix}.workflows.events`;
  // Create the topics and load the backlog (not timed).
  await Effect.runPromise(Effect.scoped(Effect.asVoid(Effect.provide(Effect.void, layer))));
  for (const batch of batches(records, 500)) await client.produce(events, batch);
  await client.close();
  const program = Effect.gen(function* () {
    const t0 = performance.now();
    const c0 = cpuMicros();
    // As a Kafka deployment where only the newest state per id matters runs it: the record cache
    // on, the append and commit overlapped with the next polls (`serve` keeps both off:
    // docs/decisions.md, "The aggregator's record cache and pipelined writes").
    // A group of its own: a member of the default group joining or leaving on the shared broker
    // (another run's aggregator, on other topics) would stall this one in a rebalance.
    const group = `bench-aggregator-${randomUUID()}`;
    const aggregator = yield* makeAggregator({ group, cache: true, pipeline: true });
    let handled = 0;
    while (handled < records.length) handled += yield* aggregator.runOnce();
    yield* aggregator.flush();
    return {
      rate: records.length / ((performance.now() - t0) / 1000),
      cpu: (cpuMicros() - c0) / records.length,
    };
  });
  return Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(layer)));
}

/** The Kafka case's figures, or none (with a note on stderr) when no broker is configured. */
export async function kafkaCase(size: KafkaSize): Promise<Figure[]> {
  const brokers = process.env.PHASEKIT_KAFKA_BROKERS?.split(",").filter(Boolean);
  if (!brokers?.length) {
    console.error(
      "bench: kafka skipped: set PHASEKIT_KAFKA_BROKERS (scripts/kafka/broker.sh start, then PHASEKIT_KAFKA_BROKERS=127.0.0.1:19092)",
    );
    return [];
  }
  const records = benchEvents(size.events);
  // A warm-up round of each, full size, not counted: the first run of the aggregator's decode and
  // fold is interpreted code (V8 has not optimised it yet), and a broker just (re)started runs its
  // produce and commit paths interpreted too (the JVM's JIT), which the aggregator uses and raw
  // consume does not; neither says anything about a long-lived service. (With 6,000-record
  // warm-ups the first run after a broker restart was the lowest of its set, four sets of four.)
  await rawRound(brokers, records);
  await aggregatorRound(brokers, records);
  const raw: { produce: number; consume: number; consumeCpu: number }[] = [];
  const rounds: { rate: number; cpu: number }[] = [];
  for (let r = 0; r < size.rounds; r++) {
    // Alternate the order, so neither side always runs on a warmer broker.
    if (r % 2 === 0) {
      raw.push(await rawRound(brokers, records));
      rounds.push(await aggregatorRound(brokers, records));
    } else {
      rounds.push(await aggregatorRound(brokers, records));
      raw.push(await rawRound(brokers, records));
    }
  }
  const aggregator = rounds.map((r) => r.rate);
  const ratios = aggregator.map((a, i) => a / raw[i]!.consume);
  const note = `median of ${size.rounds} rounds of ${size.events} events, one broker (PHASEKIT_KAFKA_BROKERS)`;
  return [
    {
      case: "kafka",
      subject: "dyff/Model events",
      metric: "aggregator end-to-end / raw consume",
      value: median(aggregator),
      unit: "events/s",
      baseline: { name: "raw consume", value: median(raw.map((x) => x.consume)) },
      ratio: median(ratios),
      ratioUnit: "%",
      goal: { op: ">=", value: 0.5 },
      note,
    },
    {
      case: "kafka",
      subject: "dyff/Model events",
      metric: "aggregator end-to-end / raw produce",
      value: median(aggregator),
      unit: "events/s",
      baseline: { name: "raw produce", value: median(raw.map((x) => x.produce)) },
      ratio: median(aggregator.map((a, i) => a / raw[i]!.produce)),
      ratioUnit: "%",
      note,
    },
    {
      // The same comparison in this process's CPU time (a loaded machine stretches wall time, and the
      // broker's own work is not in it): what the aggregator spends an event, against what the raw
      // consume spends a record. Both sides decode keys and values to strings.
      case: "kafka",
      subject: "dyff/Model events",
      metric: "CPU an event: raw consume / aggregator",
      value: median(rounds.map((r) => r.cpu)),
      unit: "us CPU",
      baseline: { name: "raw consume", value: median(raw.map((x) => x.consumeCpu)) },
      ratio: median(rounds.map((r, i) => raw[i]!.consumeCpu / r.cpu)),
      ratioUnit: "%",
      note,
    },
  ];
}
