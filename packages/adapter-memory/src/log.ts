import {
  carriedMessage,
  type LogConsumer,
  LogError,
  type LogPosition,
  type LogRecord,
  type LogShape,
  type ProducerRecord,
} from "@phasekit/core";
import { Effect } from "effect";
import {
  type Group,
  indexAtOrAfter,
  type Member,
  makeGroup,
  ownedPartitions,
  rebalance,
  takeBatch,
} from "./consumer-group.js";
import type { MemoryFaults } from "./faults.js";
import { hash32, type Prng } from "./prng.js";

/** How a memory log is built. */
export interface MemoryLogOptions {
  /** The log's name (the Kafka topic it stands for). */
  readonly name: string;
  readonly partitions: number;
  /** `eager`: every append compacts at once (a compacted topic whose cleaner never lags); `manual`: only `compact()`. */
  readonly compaction: "manual" | "eager";
  readonly prng: Prng;
  /** Read on every poll, so faults can change while consumers run. */
  readonly faults: () => MemoryFaults;
}

/** What happened on a log so far. */
export interface LogStats {
  readonly appended: number;
  readonly delivered: number;
  /** Deliveries of a record its group had been given before: the duplicates consumers had to absorb. */
  readonly redelivered: number;
  /** Rewinds caused by the `duplicate` fault. */
  readonly rewinds: number;
}

/**
 * A memory log: the port, and a handle to look inside and to crash consumers. `M` is the message its
 * records carry: a record appended with its writer's message (`decoded`, core's `eventRecord` and
 * `stateRecord`) keeps it, and every reader is handed the same stored record, so readers in this
 * process take the message instead of decoding the text. The text is stored as Kafka stores it.
 */
export interface MemoryLog<M = unknown> {
  readonly name: string;
  readonly partitions: number;
  /** The port implementation (provide it as `EventLog` or `StateLog`). */
  readonly port: LogShape<M>;
  /** Every stored record, partition by partition, each partition in offset order. */
  readonly records: () => readonly LogRecord<M>[];
  /** Per partition, the offset the next append will get. */
  readonly endOffsets: () => readonly number[];
  /** Every group that ever joined, in name order. */
  readonly groups: () => readonly string[];
  /** Per partition, the offset after the group's last committed record (0: nothing committed). */
  readonly committed: (group: string) => readonly number[];
  /** How many stored records lie after the group's committed offsets (what a restart would redeliver). */
  readonly uncommitted: (group: string) => number;
  /** How many members of the group are live. */
  readonly members: (group: string) => number;
  /** Every live member of the group forgets its position and restarts from the committed offsets: a crash before commit. */
  readonly crash: (group: string) => void;
  /** Keeps only the latest record of each key in each partition; offsets do not change. */
  readonly compact: () => void;
  readonly stats: () => LogStats;
}

/**
 * A partitioned, keyed, append-only log with Kafka's consumer-group semantics, in memory.
 *
 * @example
 * ```ts
 * const log = makeMemoryLog({ name: "events", partitions: 3, compaction: "manual", prng: makePrng(1), faults: () => noFaults });
 * Effect.runSync(log.port.append([{ key: "e1", value: "{}" }]));
 * log.records(); // [{ topic: "events", key: "e1", value: "{}", partition: 2, offset: 0 }]
 * ```
 */
export function makeMemoryLog<M = unknown>(options: MemoryLogOptions): MemoryLog<M> {
  const { name, prng } = options;
  const n = options.partitions;
  let stored: LogRecord<M>[][] = Array.from({ length: n }, () => []);
  const next: number[] = new Array(n).fill(0);
  const groups = new Map<string, Group>();
  const stats = { appended: 0, delivered: 0, redelivered: 0, rewinds: 0 };
  const fail = (operation: string, message: string) =>
    Effect.fail(new LogError({ log: name, operation, message }));

  const compact = () => {
    stored = stored.map((records) => {
      const latest = new Map<string, number>();
      for (const r of records) latest.set(r.key, r.offset);
      return records.filter((r) => latest.get(r.key) === r.offset);
    });
  };

  const append = (records: readonly ProducerRecord<M>[]): Effect.Effect<readonly LogPosition[], LogError> =>
    Effect.suspend(() => {
      const bad = records.findIndex((r) => typeof r?.key !== "string" || typeof r?.value !== "string");
      if (bad >= 0) return fail("append", `records[${bad}]: expected { key: string, value: string }`);
      const positions = records.map((record): LogPosition => {
        const { key, value } = record;
        const partition = hash32(key) % n;
        const offset = next[partition]!++;
        // The writer's message is kept only for the very key and text it was encoded to: a record
        // whose bytes were altered on the way (a fault, a test) is stored as bytes alone.
        const decoded = carriedMessage(record) === undefined ? undefined : record.decoded;
        stored[partition]!.push(
          Object.freeze(
            decoded === undefined
              ? { topic: name, key, value, partition, offset }
              : { topic: name, key, value, partition, offset, decoded },
          ),
        );
        return { partition, offset };
      });
      stats.appended += records.length;
      if (options.compaction === "eager") compact();
      return Effect.succeed(positions);
    });

  /** Where a member reads partition `p` next: its position, or a rewind into its last batch (the duplicate fault). */
  const positionOf = (member: Member, group: Group, p: number, faults: MemoryFaults) => {
    let position = member.positions.get(p) ?? group.committed[p]!;
    const start = member.lastBatch.get(p);
    if (start !== undefined && start < position && prng.chance(faults.duplicate)) {
      position = prng.int(start, position - 1);
      stats.rewinds++;
    }
    member.positions.set(p, position);
    return position;
  };

  // Without reordering, partition by partition up to `max` (as takeBatch does), with no copies.
  const inOrderPoll = (member: Member, group: Group, owned: number[], max: number, faults: MemoryFaults) => {
    const order: LogRecord<M>[] = [];
    for (const p of owned) {
      const records = stored[p]!;
      let i = indexAtOrAfter(records, positionOf(member, group, p, faults));
      const first = order.length;
      while (i < records.length && order.length < max) order.push(records[i++]!);
      if (order.length === first) member.lastBatch.delete(p);
      else {
        member.lastBatch.set(p, order[first]!.offset);
        member.positions.set(p, order.at(-1)!.offset + 1);
      }
    }
    return order;
  };

  const reorderedPoll = (
    member: Member,
    group: Group,
    owned: number[],
    max: number,
    faults: MemoryFaults,
  ) => {
    const available = new Map<number, readonly LogRecord<M>[]>();
    for (const p of owned) {
      const records = stored[p]!;
      const from = indexAtOrAfter(records, positionOf(member, group, p, faults));
      available.set(p, records.slice(from, from + max));
    }
    const { batch, order } = takeBatch(available, max, faults, prng);
    for (const p of owned) {
      const taken = batch.get(p);
      if (taken === undefined) member.lastBatch.delete(p);
      else {
        member.lastBatch.set(p, taken[0]!.offset);
        member.positions.set(p, taken.at(-1)!.offset + 1);
      }
    }
    return order;
  };

  const poll = (groupName: string, group: Group, member: Member, max: number) => {
    if (member.closed) return fail("poll", `this member of group "${groupName}" has left (its scope closed)`);
    if (!(Number.isInteger(max) && max > 0)) return fail("poll", `max: got ${max}, expected an integer > 0`);
    const faults = options.faults();
    const owned = ownedPartitions(group, member, n);
    const order = faults.reorder
      ? reorderedPoll(member, group, owned, max, faults)
      : inOrderPoll(member, group, owned, max, faults);
    for (const r of order) {
      stats.delivered++;
      if (r.offset < group.delivered[r.partition]!) stats.redelivered++;
      else group.delivered[r.partition] = r.offset + 1;
    }
    return Effect.succeed(order as readonly LogRecord<M>[]);
  };

  const commit = (groupName: string, group: Group, member: Member, records: readonly LogRecord<M>[]) => {
    if (member.closed)
      return fail("commit", `this member of group "${groupName}" has left (its scope closed)`);
    const highest = new Map<number, number>();
    for (const r of records) {
      if (r.topic !== name) return fail("commit", `record ${r.partition}/${r.offset} is from "${r.topic}"`);
      highest.set(r.partition, Math.max(highest.get(r.partition) ?? -1, r.offset));
    }
    const owned = new Set(ownedPartitions(group, member, n));
    for (const p of highest.keys()) {
      if (!owned.has(p)) {
        return fail(
          "commit",
          `partition ${p} of "${name}" was reassigned to another member of group "${groupName}" ` +
            "(a rebalance); it will deliver the uncommitted records again",
        );
      }
    }
    // Kafka stores the offset it is given, even a lower one; so do we.
    for (const [p, offset] of highest) group.committed[p] = offset + 1;
    return Effect.void;
  };

  const groupNamed = (groupName: string) => {
    let group = groups.get(groupName);
    if (group === undefined) groups.set(groupName, (group = makeGroup(n)));
    return group;
  };

  const consumer = (groupName: string) => {
    const join = Effect.sync(() => {
      const group = groupNamed(groupName);
      const member: Member = { closed: false, positions: new Map(), lastBatch: new Map() };
      group.members.push(member);
      rebalance(group, n);
      return { group, member };
    });
    const leave = ({ group, member }: { group: Group; member: Member }) =>
      Effect.sync(() => {
        member.closed = true;
        group.members.splice(group.members.indexOf(member), 1);
        rebalance(group, n);
      });
    return Effect.acquireRelease(join, leave).pipe(
      Effect.map(
        ({ group, member }): LogConsumer<M> => ({
          poll: (pollOptions) =>
            Effect.suspend(() => poll(groupName, group, member, pollOptions?.max ?? 500)),
          commit: (records) => Effect.suspend(() => commit(groupName, group, member, records)),
        }),
      ),
    );
  };

  return {
    name,
    partitions: n,
    port: { name, append, consumer, readAll: () => Effect.sync(() => stored.flat()) },
    records: () => stored.flat(),
    endOffsets: () => [...next],
    groups: () => [...groups.keys()].sort(),
    committed: (groupName) => [...(groups.get(groupName)?.committed ?? new Array(n).fill(0))],
    uncommitted: (groupName) => {
      const committed = groups.get(groupName)?.committed;
      return stored.reduce(
        (sum, records, p) => sum + records.length - indexAtOrAfter(records, committed?.[p] ?? 0),
        0,
      );
    },
    members: (groupName) => groups.get(groupName)?.members.length ?? 0,
    crash: (groupName) => {
      for (const member of groups.get(groupName)?.members ?? []) {
        member.positions.clear();
        member.lastBatch.clear();
      }
    },
    compact,
    stats: () => ({ ...stats }),
  };
}
