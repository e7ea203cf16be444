import type { LogConsumer, LogRecord } from "@phasekit/core";
import { Effect } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type MemoryOptions, makeMemoryBackend } from "./backend.js";
import type { MemoryLog } from "./log.js";

const keys = (n: number) => Array.from({ length: n }, (_, i) => `e${i}`);
const append = (log: MemoryLog, count: number, keyCount = 10) =>
  Effect.runSync(
    log.port.append(Array.from({ length: count }, (_, i) => ({ key: `e${i % keyCount}`, value: `${i}` }))),
  );
const consumer = (log: MemoryLog, group: string) => log.port.consumer(group);

/** Polls (committing each batch) until three polls in a row come back empty; returns every batch. */
const pollToQuiet = (c: LogConsumer, max = 5) =>
  Effect.gen(function* () {
    const batches: (readonly LogRecord[])[] = [];
    for (let empty = 0; empty < 3 && batches.length < 10_000; ) {
      const batch = yield* c.poll({ max });
      batches.push(batch);
      empty = batch.length === 0 ? empty + 1 : 0;
      yield* c.commit(batch);
    }
    return batches;
  });

const deliveries = (options: MemoryOptions, count: number) => {
  const backend = makeMemoryBackend(options);
  append(backend.events, count);
  const batches = Effect.runSync(Effect.scoped(Effect.flatMap(consumer(backend.events, "g"), pollToQuiet)));
  return { backend, batches };
};

describe("memory log faults", () => {
  it("with duplicates, each poll continues a partition where it stopped or rewinds into its last batch: nothing skipped, nothing out of order", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.integer({ min: 1, max: 5 }),
        (seed, duplicate, partitions) => {
          const { backend, batches } = deliveries(
            { seed, partitions, faults: { duplicate, reorder: true } },
            60,
          );
          const last = new Map<number, { start: number; end: number }>();
          for (const batch of batches) {
            const byPartition = new Map<number, LogRecord[]>();
            for (const r of batch) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
            for (const [p, records] of byPartition) {
              for (let i = 1; i < records.length; i++)
                expect(records[i]!.offset).toBe(records[i - 1]!.offset + 1);
              const before = last.get(p) ?? { start: 0, end: 0 };
              const first = records[0]!.offset;
              expect(first === before.end || (first >= before.start && first < before.end)).toBe(true);
              last.set(p, { start: first, end: records.at(-1)!.offset + 1 });
            }
          }
          expect(new Set(batches.flat().map((r) => `${r.partition}/${r.offset}`)).size).toBe(60);
          expect(backend.events.stats().delivered).toBe(batches.flat().length);
          expect(backend.events.stats().redelivered).toBe(batches.flat().length - 60);
        },
      ),
    );
  });

  it("the duplicate fault does fire: at 0.3, records are redelivered, committed ones included", () => {
    const { backend } = deliveries({ seed: 1, faults: { duplicate: 0.3 } }, 200);
    expect(backend.events.stats().rewinds).toBeGreaterThan(5);
    expect(backend.events.stats().redelivered).toBeGreaterThan(5);
    expect(backend.events.uncommitted("g")).toBe(0);
  });

  it("with reorder, the seed changes how partitions interleave; without it, polls go partition by partition", () => {
    const orders = new Set<string>();
    for (let seed = 0; seed < 10; seed++) {
      const { batches } = deliveries({ seed, partitions: 4, faults: { reorder: true } }, 40);
      orders.add(
        batches
          .flat()
          .map((r) => r.partition)
          .join(""),
      );
    }
    expect(orders.size).toBeGreaterThan(5);
    const { batches } = deliveries({ partitions: 4 }, 40);
    for (const batch of batches)
      for (let i = 1; i < batch.length; i++)
        expect(batch[i]!.partition).toBeGreaterThanOrEqual(batch[i - 1]!.partition);
  });

  it("the same seed and program give the same deliveries, faults included", () => {
    const options = { seed: 5, partitions: 3, faults: { duplicate: 0.4, reorder: true } };
    const a = deliveries(options, 50);
    const b = deliveries(options, 50);
    expect(b.batches).toEqual(a.batches);
    expect(b.backend.events.stats()).toEqual(a.backend.events.stats());
  });
});

describe("memory log consumer groups", () => {
  it("members share the partitions; a leaving member's uncommitted records go to the one that takes its partitions", () => {
    const backend = makeMemoryBackend({ partitions: 4 });
    const log = backend.events;
    append(log, 40, 20);
    Effect.runSync(
      Effect.scoped(
        Effect.gen(function* () {
          const a = yield* consumer(log, "g");
          const aFirst = yield* Effect.scoped(
            Effect.gen(function* () {
              const b = yield* consumer(log, "g");
              expect(log.members("g")).toBe(2);
              const fromA = yield* a.poll();
              const fromB = yield* b.poll();
              expect(new Set(fromA.map((r) => r.partition))).toEqual(new Set([0, 2]));
              expect(new Set(fromB.map((r) => r.partition))).toEqual(new Set([1, 3]));
              yield* a.commit(fromA);
              return fromA;
            }),
          );
          expect(log.members("g")).toBe(1);
          const afterB = yield* a.poll();
          expect(new Set(afterB.map((r) => r.partition))).toEqual(new Set([1, 3]));
          expect(afterB.length + aFirst.length).toBe(40);
        }),
      ),
    );
  });

  it("a member cannot commit a partition that was reassigned, nor poll or commit after it left", () => {
    const log = makeMemoryBackend({ partitions: 2 }).events;
    append(log, 10);
    const left = Effect.runSync(
      Effect.scoped(
        Effect.gen(function* () {
          const a = yield* consumer(log, "g");
          const records = yield* a.poll();
          yield* consumer(log, "g");
          const error = yield* Effect.flip(a.commit(records));
          expect(error).toMatchObject({ _tag: "LogError", operation: "commit" });
          expect(error.message).toContain("reassigned");
          return a;
        }),
      ),
    );
    expect(Effect.runSync(Effect.flip(left.poll())).message).toContain('group "g" has left');
    expect(Effect.runSync(Effect.flip(left.commit([])))._tag).toBe("LogError");
    expect(log.committed("g")).toEqual([0, 0]);
  });

  it("crash(group) sends live members back to the committed offsets; uncommitted counts what would come again", () => {
    const log = makeMemoryBackend({ partitions: 1 }).events;
    append(log, 10);
    Effect.runSync(
      Effect.scoped(
        Effect.gen(function* () {
          const c = yield* consumer(log, "g");
          const first = yield* c.poll();
          yield* c.commit(first.slice(0, 4));
          expect(log.committed("g")).toEqual([4]);
          expect(log.uncommitted("g")).toBe(6);
          expect(yield* c.poll()).toEqual([]);
          log.crash("g");
          expect((yield* c.poll()).map((r) => r.offset)).toEqual([4, 5, 6, 7, 8, 9]);
        }),
      ),
    );
  });

  it("bad input is a LogError naming what was wrong", () => {
    const log = makeMemoryBackend().events;
    const bad = Effect.runSync(
      Effect.flip(log.port.append([{ key: "e1", value: "{}" }, { key: 7 } as never])),
    );
    expect(bad.message).toBe("records[1]: expected { key: string, value: string }");
    expect(log.records()).toEqual([]);
    const c = Effect.runSync(
      Effect.scoped(Effect.flatMap(consumer(log, "g"), (c) => Effect.flip(c.poll({ max: 0 })))),
    );
    expect(c.message).toBe("max: got 0, expected an integer > 0");
  });
});

describe("memory log compaction", () => {
  it("keeps the latest record of each key at its offset; the end offsets do not move", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...keys(6)), { maxLength: 40 }), (sequence) => {
        const backend = makeMemoryBackend({ partitions: 3, compaction: "eager" });
        const positions = Effect.runSync(
          backend.state.port.append(sequence.map((key, i) => ({ key, value: `${i}` }))),
        );
        const latest = new Map(sequence.map((key, i) => [key, { value: `${i}`, ...positions[i]! }]));
        const kept = backend.state.records();
        expect(kept).toHaveLength(latest.size);
        for (const r of kept)
          expect(latest.get(r.key)).toEqual({ value: r.value, partition: r.partition, offset: r.offset });
        const ends = [0, 1, 2].map((p) => positions.filter((x) => x.partition === p).length);
        expect(backend.state.endOffsets()).toEqual(ends);
      }),
    );
  });

  it("manual compaction waits for compact(); the event log never compacts by itself", () => {
    const backend = makeMemoryBackend({ partitions: 1 });
    append(backend.state, 10, 2);
    append(backend.events, 10, 2);
    expect(backend.state.records()).toHaveLength(10);
    backend.state.compact();
    expect(backend.state.records().map((r) => r.offset)).toEqual([8, 9]);
    expect(backend.events.records()).toHaveLength(10);
  });
});
