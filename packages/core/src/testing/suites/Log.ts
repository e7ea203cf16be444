import type * as Context from "effect/Context";
import * as Effect from "effect/Effect";
import type * as Layer from "effect/Layer";
import { describe, expect, it } from "vitest";
import type { LogConsumer, LogPosition, LogRecord, LogShape } from "../../ports/Log.js";
import { runWith } from "./run.js";

/** How a log suite treats the log under test. */
export interface LogSuiteOptions {
  /** Polls a test may make while it waits for records (default 100: room for a broker's group join). */
  readonly polls?: number;
  /** The log may compact (a state log), so only the latest record of each key is sure to be read back. */
  readonly compacted?: boolean;
}

/** A record the test appended, with where it landed. */
interface Appended extends LogPosition {
  readonly key: string;
  readonly value: string;
  readonly round: number;
}

const KEYS = Array.from({ length: 8 }, (_, i) => `key-${i}`);
const idOf = (p: LogPosition) => `${p.partition}/${p.offset}`;
const ours = (r: { readonly key: string }) => KEYS.includes(r.key);

/** Appends `rounds` rounds, one `append` call each: every key once, then key-0 again (same key twice in one call). */
const appendRounds = (log: LogShape, rounds: number, first = 0) =>
  Effect.gen(function* () {
    const appended: Appended[] = [];
    for (let round = first; round < first + rounds; round++) {
      const records = [...KEYS, KEYS[0]!].map((key, i) => ({
        key,
        value: JSON.stringify({ key, round, i }),
      }));
      const positions = yield* log.append(records);
      expect(positions).toHaveLength(records.length);
      for (const [i, r] of records.entries()) appended.push({ ...r, ...positions[i]!, round });
    }
    return appended;
  });

/** What a reader must get back: everything, or (compacted) the latest record of each key. */
const mustRead = (appended: readonly Appended[], compacted: boolean) => {
  if (!compacted) return appended;
  const latest = new Map<string, Appended>();
  for (const a of appended) latest.set(a.key, a);
  return [...latest.values()];
};

const missing = (seen: readonly LogPosition[], expected: readonly LogPosition[]) => {
  const ids = new Set(seen.map(idOf));
  return expected.filter((e) => !ids.has(idOf(e)));
};

/** Polls until every expected record was given (or the poll budget is spent); returns every poll's batch. */
const drain = (consumer: LogConsumer, expected: readonly LogPosition[], polls: number) =>
  Effect.gen(function* () {
    const batches: (readonly LogRecord[])[] = [];
    for (let i = 0; i < polls && missing(batches.flat(), expected).length > 0; i++) {
      batches.push(yield* consumer.poll({ max: 7 }));
    }
    return batches;
  });

/** Each delivered record is the one appended at its position, and within each poll a partition's records come in offset order. */
const expectFaithful = (
  log: LogShape,
  batches: readonly (readonly LogRecord[])[],
  appended: readonly Appended[],
) => {
  const byId = new Map(appended.map((a) => [idOf(a), a]));
  for (const batch of batches) {
    const last = new Map<number, number>();
    for (const r of batch.filter(ours)) {
      expect(r.topic).toBe(log.name);
      expect(byId.get(idOf(r)), `record ${idOf(r)} was never appended`).toMatchObject({
        key: r.key,
        value: r.value,
      });
      expect(r.offset, `partition ${r.partition} out of order within one poll`).toBeGreaterThan(
        last.get(r.partition) ?? -1,
      );
      last.set(r.partition, r.offset);
    }
  }
  // First deliveries keep each partition's order, redeliveries (rewinds) notwithstanding.
  const firsts = new Map<number, number>();
  const seen = new Set<string>();
  for (const r of batches.flat().filter(ours)) {
    if (seen.has(idOf(r))) continue;
    seen.add(idOf(r));
    expect(r.offset, `partition ${r.partition}: a new record came before an older one`).toBeGreaterThan(
      firsts.get(r.partition) ?? -1,
    );
    firsts.set(r.partition, r.offset);
  }
};

const expectGiven = (batches: readonly (readonly LogRecord[])[], expected: readonly LogPosition[]) =>
  expect(missing(batches.flat(), expected).map(idOf), `not given after ${batches.length} polls`).toEqual([]);

/**
 * The contract of a partitioned, keyed log with consumer groups (Kafka's): per-key order, same key
 * same partition, at-least-once delivery, committed offsets per group. It asserts no order across
 * partitions and no exactly-once delivery. Each test builds `layer` afresh, so it must give an empty log.
 */
export function logSuite<I, E>(
  name: string,
  service: Context.Key<I, LogShape>,
  layer: Layer.Layer<I, E>,
  options: LogSuiteOptions = {},
): void {
  const polls = options.polls ?? 100;
  const compacted = options.compacted ?? false;
  const run = runWith(layer);
  const joined = (group: string) => Effect.flatMap(service, (log) => log.consumer(group));

  describe(`${service.key} conformance: ${name}`, () => {
    it("records with the same key land in the same partition, at increasing offsets, in append order", () =>
      run(
        Effect.gen(function* () {
          const appended = yield* appendRounds(yield* service, 3);
          for (const key of KEYS) {
            const mine = appended.filter((a) => a.key === key);
            expect(new Set(mine.map((a) => a.partition)).size).toBe(1);
            for (let i = 1; i < mine.length; i++)
              expect(mine[i]!.offset).toBeGreaterThan(mine[i - 1]!.offset);
          }
        }),
      ));

    it("a record read back carries no message from its writer, or the very one appended with it, for its key and text", () =>
      run(
        Effect.gen(function* () {
          const log = yield* service;
          const key = KEYS[0]!;
          const message = { carried: [1, "two"] };
          const value = JSON.stringify(message);
          yield* log.append([{ key, value, decoded: { key, value, message } }]);
          const read = (yield* log.readAll()).filter(ours);
          expect(read).toHaveLength(1);
          // A log that sends bytes away (Kafka) gives none; one in this process may give it back.
          const decoded = read[0]!.decoded;
          if (decoded !== undefined) expect(decoded).toStrictEqual({ key, value, message });
          expect(read[0]!.value).toBe(value);
        }),
      ));

    it(
      compacted
        ? "readAll returns the latest record of every key, each partition in offset order"
        : "readAll returns every appended record exactly once, partition by partition, each in offset order",
      () =>
        run(
          Effect.gen(function* () {
            const log = yield* service;
            const appended = yield* appendRounds(log, 3);
            const all = (yield* log.readAll()).filter(ours);
            expectFaithful(log, [all], appended);
            for (let i = 1; i < all.length; i++)
              expect(all[i]!.partition).toBeGreaterThanOrEqual(all[i - 1]!.partition);
            expect(missing(all, mustRead(appended, compacted)).map(idOf)).toEqual([]);
            if (!compacted) expect(all).toHaveLength(appended.length);
          }),
        ),
    );

    it("a member of a new group is given every record at least once, each partition in order", () =>
      run(
        Effect.gen(function* () {
          const log = yield* service;
          const appended = yield* appendRounds(log, 3);
          const batches = yield* drain(yield* joined("readers"), mustRead(appended, compacted), polls);
          expectGiven(batches, mustRead(appended, compacted));
          expectFaithful(log, batches, appended);
        }),
      ));

    it("records appended after a member joined are given to its later polls", () =>
      run(
        Effect.gen(function* () {
          const log = yield* service;
          const consumer = yield* joined("readers");
          const early = yield* consumer.poll();
          const appended = yield* appendRounds(log, 2);
          const batches = [early, ...(yield* drain(consumer, mustRead(appended, compacted), polls))];
          expectGiven(batches, mustRead(appended, compacted));
          expectFaithful(log, batches, appended);
        }),
      ));

    it("records a member committed are not given to the next member of its group", () =>
      run(
        Effect.gen(function* () {
          const log = yield* service;
          const before = yield* appendRounds(log, 2);
          yield* Effect.scoped(
            Effect.gen(function* () {
              const first = yield* joined("workers");
              const batches = yield* drain(first, mustRead(before, compacted), polls);
              expectGiven(batches, mustRead(before, compacted));
              yield* first.commit(batches.flat());
            }),
          );
          const after = yield* appendRounds(log, 1, 2);
          const batches = yield* drain(yield* joined("workers"), mustRead(after, compacted), polls);
          expectGiven(batches, mustRead(after, compacted));
          const afterIds = new Set(after.map(idOf));
          const again = batches.flat().filter((r) => ours(r) && !afterIds.has(idOf(r)));
          expect(again.map(idOf), "committed records were given again").toEqual([]);
        }),
      ));

    it("records a member was given but did not commit are given again to the next member (crash before commit)", () =>
      run(
        Effect.gen(function* () {
          const log = yield* service;
          const appended = yield* appendRounds(log, 3);
          const round0 = new Set(appended.filter((a) => a.round === 0).map(idOf));
          // The first member crashes before it commits anything: the second is given everything again
          // and commits round 0 only; the third is given rounds 1-2 again, and not round 0.
          for (const commitRound0 of [false, true]) {
            yield* Effect.scoped(
              Effect.gen(function* () {
                const member = yield* joined("workers");
                const batches = yield* drain(member, mustRead(appended, compacted), polls);
                expectGiven(batches, mustRead(appended, compacted));
                expectFaithful(log, batches, appended);
                if (commitRound0) yield* member.commit(batches.flat().filter((r) => round0.has(idOf(r))));
              }),
            );
          }
          const uncommitted = mustRead(
            appended.filter((a) => a.round > 0),
            compacted,
          );
          const batches = yield* drain(yield* joined("workers"), uncommitted, polls);
          expectGiven(batches, uncommitted);
          expectFaithful(log, batches, appended);
          expect(
            batches
              .flat()
              .filter((r) => round0.has(idOf(r)))
              .map(idOf),
            "committed records came again",
          ).toEqual([]);
        }),
      ));

    it("two groups are independent: one committing everything leaves the other's records in place", () =>
      run(
        Effect.gen(function* () {
          const log = yield* service;
          const appended = yield* appendRounds(log, 2);
          yield* Effect.scoped(
            Effect.gen(function* () {
              const a = yield* joined("group-a");
              const batches = yield* drain(a, mustRead(appended, compacted), polls);
              yield* a.commit(batches.flat());
            }),
          );
          const batches = yield* drain(yield* joined("group-b"), mustRead(appended, compacted), polls);
          expectGiven(batches, mustRead(appended, compacted));
          expectFaithful(log, batches, appended);
        }),
      ));
  });
}
