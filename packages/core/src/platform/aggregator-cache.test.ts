import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { layerMemory, MemoryBackend } from "../../../adapter-memory/src/index.js";
import { EventLog } from "../ports/EventLog.js";
import { LogError, type LogRecord, type ProducerRecord } from "../ports/Log.js";
import { StateLog } from "../ports/StateLog.js";
import type { DyffEntity } from "../systems/dyff/index.js";
import { type AggregatorOptions, makeAggregator } from "./aggregator.js";
import { consumerGroups } from "./consumer-groups.js";
import { at, entity, informerStatus as status } from "./fixtures.js";
import { decodeState, type EventMessage, encodeEvent, type StateMessage } from "./messages.js";
import { replayEvents } from "./replay.js";

const ids = ["m1", "m2", "m3", "d1"] as const;
const creates: Record<string, DyffEntity> = {
  m1: entity("Model", "m1"),
  m2: entity("Model", "m2"),
  m3: entity("Model", "m3"),
  d1: entity("Dataset", "d1"),
};
const anyEvent = (id: string): fc.Arbitrary<EventMessage> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant<EventMessage>({ type: "Create", entity: creates[id]! }) },
    fc
      .constantFrom<[string, string | null]>(["Admitted", null], ["Ready", null], ["Error", "FetchFailed"])
      .map(([s, r]) => status(s, r)),
    fc.constant<EventMessage>({ type: "Terminate", by: "alice", at }),
    fc.constant<EventMessage>({ type: "Delete", by: "alice", at }),
    fc.constant<EventMessage>({ type: "Uploaded", by: "alice", at }),
    fc
      .constantFrom("a", "b", null)
      .map<EventMessage>((v) => ({ type: "Labels", labels: { k: v }, by: "alice", at })),
  );
const anyLog = fc.array(
  fc.constantFrom(...ids).chain((id) => anyEvent(id).map((m) => ({ key: id, value: encodeEvent(m) }))),
  { minLength: 1, maxLength: 60 },
);
/** What happens after each step of the run: nothing, a consumer crash, a restart (scope closed unflushed), an append failure. */
const anyFault = fc.constantFrom("none", "none", "none", "crash", "restart", "fail");
type Fault = "none" | "crash" | "restart" | "fail";

const states = (records: readonly { key: string; value: string }[]) =>
  records.map((r) => decodeState(r.key, r.value) as StateMessage);
/** The newest state of each key on a state log (what every reader of the compacted log keeps). */
const newest = (records: readonly StateMessage[]) => {
  const out = new Map<string, StateMessage>();
  for (const s of records) if ((out.get(s.entity.id)?.version ?? 0) < s.version) out.set(s.entity.id, s);
  return out;
};

/**
 * Runs aggregators over `log` until one has caught up, with `faults` between steps: a consumer
 * crash (positions back to the committed offsets), a restart (the scope closes with a write in
 * flight: a crash before the commit), or a refused append. Returns every state record appended.
 */
const run = (log: readonly ProducerRecord[], options: AggregatorOptions, faults: readonly Fault[]) => {
  let refuse = false;
  const flaky = Layer.effect(
    StateLog,
    Effect.gen(function* () {
      const real = (yield* MemoryBackend).state.port;
      return {
        ...real,
        append: (records: readonly ProducerRecord[]) =>
          Effect.suspend(() => {
            if (!refuse) return real.append(records);
            refuse = false;
            return Effect.fail(new LogError({ log: real.name, operation: "append", message: "broker gone" }));
          }),
      };
    }),
  );
  return Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const backend = yield* MemoryBackend;
        yield* (yield* EventLog).append(log);
        let step = 0;
        for (;;) {
          const caughtUp: boolean = yield* Effect.scoped(
            Effect.gen(function* () {
              const aggregator = yield* makeAggregator(options).pipe(Effect.provide(flaky));
              for (;;) {
                // the faults happen once each, then the run goes on without: it must catch up
                if (step > 10_000) throw new Error("the aggregator does not catch up");
                const fault = faults[step++] ?? "none";
                if (fault === "fail") refuse = true;
                const handled = yield* Effect.orElseSucceed(aggregator.runOnce(), () => -1);
                if (handled === 0) return true;
                if (fault === "crash") backend.events.crash(options.group ?? consumerGroups.aggregator.group);
                if (fault === "restart") return false;
              }
            }),
          );
          if (caughtUp) break;
        }
        return {
          states: states(backend.state.records()),
          replay: replayEvents(yield* (yield* EventLog).readAll()),
        };
      }),
    ).pipe(Effect.provide(layerMemory({ seed: 7 }))),
  );
};

const perKeyVersions = (records: readonly StateMessage[]) => {
  const out = new Map<string, number[]>();
  for (const s of records) out.set(s.entity.id, [...(out.get(s.entity.id) ?? []), s.version]);
  return out;
};

describe("the aggregator's record cache and pipeline on the memory logs", () => {
  it("property: with the cache (and the pipeline), the newest state record of each key equals the uncached run's, with fewer records", async () => {
    await fc.assert(
      fc.asyncProperty(anyLog, fc.integer({ min: 1, max: 12 }), fc.boolean(), async (log, max, pipeline) => {
        const plain = await run(log, { maxRecords: max }, ["none"]);
        const cached = await run(log, { maxRecords: max, cache: true, pipeline }, ["none"]);
        expect(newest(cached.states)).toEqual(newest(plain.states));
        expect(newest(plain.states)).toEqual(plain.replay);
        expect(cached.states.length).toBeLessThanOrEqual(plain.states.length);
        // per-key order kept: each key's versions only grow along the log
        for (const versions of perKeyVersions(cached.states).values())
          expect(versions).toEqual([...versions].sort((a, b) => a - b));
      }),
      { numRuns: 60 },
    );
  });

  it("property: crashes, restarts before the commit and refused appends, with the cache and the pipeline, replay to the state of one clean reading", async () => {
    await fc.assert(
      fc.asyncProperty(
        anyLog,
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        fc.array(anyFault, { minLength: 1, maxLength: 20 }),
        async (log, max, pipeline, faults) => {
          const faulty = await run(log, { maxRecords: max, cache: true, pipeline }, faults);
          expect(newest(faulty.states)).toEqual(faulty.replay);
          for (const versions of perKeyVersions(faulty.states).values())
            expect(versions).toEqual([...versions].sort((a, b) => a - b));
        },
      ),
      { numRuns: 80 },
    );
  });

  it("with the cache, a key changed five times in one batch leaves one record, with the fifth version and the last change's position", async () => {
    const m1 = (m: EventMessage) => ({ key: "m1", value: encodeEvent(m) });
    const log = [
      m1({ type: "Create", entity: creates.m1! }),
      m1({ type: "Labels", labels: { k: "a" }, by: "alice", at }),
      m1(status("Admitted")),
      m1(status("Admitted")),
      m1(status("Ready")),
      m1({ type: "Labels", labels: { k: "b" }, by: "alice", at }),
      m1(status("Admitted")), // rejected: Ready does not go back
    ];
    const cached = await run(log, { cache: true }, ["none"]);
    expect(cached.states.map((s) => [s.version, s.entity.status, s.entity.labels, s.applied])).toEqual([
      [5, "Ready", { k: "b" }, { partition: expect.any(Number), offset: 5 }],
    ]);
    const plain = await run(log, {}, ["none"]);
    expect(plain.states.map((s) => s.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it("with the pipeline, runOnce returns before the append; flush and an empty runOnce wait for it", async () => {
    const out = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const backend = yield* MemoryBackend;
          yield* (yield* EventLog).append([
            { key: "m1", value: encodeEvent({ type: "Create", entity: creates.m1! }) },
          ]);
          const aggregator = yield* makeAggregator({ pipeline: true });
          const handled = yield* aggregator.runOnce();
          yield* aggregator.flush();
          const afterFlush = backend.state.records().length;
          const idle = yield* aggregator.runOnce();
          return {
            handled,
            afterFlush,
            idle,
            uncommitted: backend.events.uncommitted(consumerGroups.aggregator.group),
          };
        }),
      ).pipe(Effect.provide(layerMemory({ seed: 1 }))),
    );
    expect(out).toEqual({ handled: 1, afterFlush: 1, idle: 0, uncommitted: 0 });
  });

  it("property: with the pipeline and writes that take several turns, events appended between runs are all committed once a run returns 0, and the state log replays to them", async () => {
    await fc.assert(
      fc.asyncProperty(
        anyLog,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (log, chunk, max, turns, runsBetween, cache) => {
          const out = await trickle(log, chunk, runsBetween, turns, {
            maxRecords: max,
            cache,
            pipeline: true,
          });
          expect(out.uncommitted).toBe(0);
          expect(newest(out.states)).toEqual(out.replay);
          for (const versions of perKeyVersions(out.states).values())
            expect(versions).toEqual([...versions].sort((a, b) => a - b));
        },
      ),
      { numRuns: 100 },
    );
  });
});

/** `turns` scheduler turns before each append to the state log and each commit: a write in flight across runs. */
const slowWrites = (turns: number) => {
  const wait = Effect.gen(function* () {
    for (let i = 0; i < turns; i++) yield* Effect.yieldNow;
  });
  return Layer.mergeAll(
    Layer.effect(
      StateLog,
      Effect.gen(function* () {
        const real = (yield* MemoryBackend).state.port;
        return {
          ...real,
          append: (records: readonly ProducerRecord[]) => Effect.andThen(wait, real.append(records)),
        };
      }),
    ),
    Layer.effect(
      EventLog,
      Effect.gen(function* () {
        const real = (yield* MemoryBackend).events.port;
        return {
          ...real,
          consumer: (group: string) =>
            Effect.map(real.consumer(group), (c) => ({
              ...c,
              commit: (records: readonly LogRecord<EventMessage>[]) =>
                Effect.andThen(wait, c.commit(records)),
            })),
        };
      }),
    ),
  );
};

/**
 * Appends `log` `chunk` records at a time, running the aggregator `runsBetween[i]` times after the
 * i-th append (cycling), then until a run returns 0; writes take `turns` scheduler turns.
 */
const trickle = (
  log: readonly ProducerRecord[],
  chunk: number,
  runsBetween: readonly number[],
  turns: number,
  options: AggregatorOptions,
) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const backend = yield* MemoryBackend;
        const events = yield* EventLog;
        const aggregator = yield* makeAggregator(options).pipe(Effect.provide(slowWrites(turns)));
        for (let i = 0; i * chunk < log.length; i++) {
          yield* events.append(log.slice(i * chunk, (i + 1) * chunk));
          for (let k = 0; k < runsBetween[i % runsBetween.length]!; k++) yield* aggregator.runOnce();
        }
        for (let step = 0; (yield* aggregator.runOnce()) > 0; step++)
          if (step > 10_000) throw new Error("the aggregator does not catch up");
        return {
          uncommitted: backend.events.uncommitted(consumerGroups.aggregator.group),
          states: states(backend.state.records()),
          replay: replayEvents(yield* events.readAll()),
        };
      }),
    ).pipe(Effect.provide(layerMemory({ seed: 3 }))),
  );
