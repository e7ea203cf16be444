import { randomUUID } from "node:crypto";
import {
  type AggregatorOptions,
  DecodeError,
  decodeState,
  EventLog,
  type EventMessage,
  encodeEvent,
  makeAggregator,
  newEntity,
  type ProducerRecord,
  replayEvents,
  StateLog,
  type StateMessage,
} from "@phasekit/core";
import { Effect } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { layerKafka } from "./layer.js";
import { testBrokers } from "./testing/broker.js";

const brokers = await testBrokers();
const at = "2026-01-01T00:00:00Z";

const ids = Array.from({ length: 12 }, (_, i) => `m${i}`);
const anyEvent = (id: string): fc.Arbitrary<EventMessage> => {
  const entity = newEntity({ kind: "Model", id, account: "alice", spec: {} }, at);
  if (entity instanceof DecodeError) throw entity;
  const status = (s: string): EventMessage => ({
    type: "Status",
    status: s,
    reason: null,
    author: "informer",
    at,
  });
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant<EventMessage>({ type: "Create", entity }) },
    fc.constantFrom("Admitted", "Ready", "Terminated").map(status),
    fc
      .constantFrom("a", "b")
      .map<EventMessage>((v) => ({ type: "Labels", labels: { k: v }, by: "alice", at })),
  );
};
const anyLog = fc.array(
  fc.constantFrom(...ids).chain((id) => anyEvent(id).map((m) => ({ key: id, value: encodeEvent(m) }))),
  { minLength: 20, maxLength: 300 },
);

const newest = (records: readonly { key: string; value: string }[]) => {
  const out = new Map<string, StateMessage>();
  for (const r of records) {
    const s = decodeState(r.key, r.value);
    if (s instanceof DecodeError) throw s;
    if ((out.get(s.entity.id)?.version ?? 0) < s.version) out.set(s.entity.id, s);
  }
  return out;
};

/**
 * On fresh topics: appends `log`, then runs aggregators until one catches up. Each of the first
 * `crashes` lives handles `steps` batches and then its scope closes with its last write in flight
 * and uncommitted (a crash before the commit); the next life joins the same group.
 */
const run = (log: readonly ProducerRecord[], given: AggregatorOptions, crashes: number, steps: number) => {
  // A group of its own: members of the default group on the shared broker (other runs, other
  // topics) would hold this run up in their rebalances.
  const options = { ...given, group: `agg-cache-${randomUUID()}` };
  return Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        yield* (yield* EventLog).append(log);
        for (let life = 0; ; life++) {
          const caughtUp: boolean = yield* Effect.scoped(
            Effect.gen(function* () {
              const aggregator = yield* makeAggregator(options);
              for (let step = 0; life >= crashes || step < steps; step++)
                if ((yield* aggregator.runOnce()) === 0) return true;
              return false;
            }),
          );
          if (caughtUp) break;
        }
        return {
          states: yield* (yield* StateLog).readAll(),
          replay: replayEvents(yield* (yield* EventLog).readAll()),
        };
      }),
    ).pipe(Effect.provide(layerKafka({ brokers, prefix: `agg-cache-${randomUUID()}` }))),
  );
};

describe("the aggregator's record cache and pipeline on Kafka", () => {
  it("property: with the cache and the pipeline, after crashes before the commit, the newest state of each key is the uncached fold's, in fewer records", async () => {
    await fc.assert(
      fc.asyncProperty(
        anyLog,
        fc.integer({ min: 5, max: 60 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 3 }),
        async (log, maxRecords, crashes, steps) => {
          const cached = await run(log, { maxRecords, cache: true, pipeline: true }, crashes, steps);
          expect(newest(cached.states)).toEqual(cached.replay);
          const plain = await run(log, { maxRecords }, 0, 0);
          expect(newest(plain.states)).toEqual(plain.replay);
          // the same fold, on other topics: compare what does not depend on the partition
          const strip = (m: Map<string, StateMessage>) =>
            new Map([...m].map(([k, s]) => [k, { version: s.version, entity: s.entity }]));
          expect(strip(newest(cached.states))).toEqual(strip(newest(plain.states)));
          if (crashes === 0) expect(cached.states.length).toBeLessThanOrEqual(plain.states.length);
        },
      ),
      { numRuns: 4 },
    );
  }, 240_000);
});
