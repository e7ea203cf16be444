import type { LogRecord } from "@phasekit/core";
import type { MemoryFaults } from "./faults.js";
import type { Prng } from "./prng.js";

/**
 * Consumer groups of the memory log, as Kafka runs them: partitions are shared out among the live
 * members (partition p goes to member p mod n, in join order) and shared out again whenever a member
 * joins or leaves. A member that keeps a partition keeps its position; a member that gets one starts
 * at the group's committed offset, so whatever the previous owner did not commit is delivered again.
 *
 * @module
 */

/** One live or closed member. */
export interface Member {
  closed: boolean;
  /** Next offset to read, per owned partition; absent: start at the committed offset. */
  readonly positions: Map<number, number>;
  /** First offset of the last batch taken from each partition (the range a duplicate rewinds into). */
  readonly lastBatch: Map<number, number>;
}

/** A group's committed offsets and live members. */
export interface Group {
  /** Per partition, the offset after the last committed record (0: nothing committed). */
  readonly committed: number[];
  readonly members: Member[];
  /** Per partition, the highest offset ever delivered to the group plus one (to count redeliveries). */
  readonly delivered: number[];
}

export function makeGroup(partitions: number): Group {
  return { committed: new Array(partitions).fill(0), members: [], delivered: new Array(partitions).fill(0) };
}

/** The partitions a member owns under the current assignment. */
export function ownedPartitions(group: Group, member: Member, partitions: number): number[] {
  const index = group.members.indexOf(member);
  if (index < 0) return [];
  const owned: number[] = [];
  for (let p = index; p < partitions; p += group.members.length) owned.push(p);
  return owned;
}

/** Shares the partitions out again: a member forgets every position of a partition it lost. */
export function rebalance(group: Group, partitions: number): void {
  for (const member of group.members) {
    const owned = new Set(ownedPartitions(group, member, partitions));
    for (const p of [...member.positions.keys()]) {
      if (!owned.has(p)) {
        member.positions.delete(p);
        member.lastBatch.delete(p);
      }
    }
  }
}

/** The index of the first record at or after `offset` (records are in offset order, with gaps after compaction). */
export function indexAtOrAfter(records: readonly LogRecord[], offset: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid]!.offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What one poll took, per partition: the records in offset order. */
export type Batch = Map<number, LogRecord[]>;

/**
 * Chooses the records one poll delivers. Without reordering, partition by partition up to `max`;
 * with it, a random share of each partition, interleaved at random (at least one record when any is
 * available, so an empty poll still means "nothing new"). Never out of order within a partition.
 */
export function takeBatch(
  available: ReadonlyMap<number, readonly LogRecord[]>,
  max: number,
  faults: MemoryFaults,
  prng: Prng,
): { readonly batch: Batch; readonly order: LogRecord[] } {
  const batch: Batch = new Map();
  const order: LogRecord[] = [];
  if (!faults.reorder) {
    for (const [p, records] of available) {
      const taken = records.slice(0, max - order.length);
      if (taken.length > 0) batch.set(p, taken);
      order.push(...taken);
    }
    return { batch, order };
  }
  const caps = new Map<number, number>();
  for (const [p, records] of available) caps.set(p, prng.int(0, records.length));
  const nonEmpty = [...available].filter(([, records]) => records.length > 0);
  if (nonEmpty.length > 0 && [...caps.values()].every((c) => c === 0)) {
    const [p] = nonEmpty[prng.int(0, nonEmpty.length - 1)]!;
    caps.set(p, 1);
  }
  const taken = new Map<number, number>();
  while (order.length < max) {
    const open = [...caps].filter(([p, cap]) => (taken.get(p) ?? 0) < cap);
    if (open.length === 0) break;
    const [p] = open[prng.int(0, open.length - 1)]!;
    const i = taken.get(p) ?? 0;
    const record = available.get(p)![i]!;
    taken.set(p, i + 1);
    order.push(record);
    let list = batch.get(p);
    if (list === undefined) batch.set(p, (list = []));
    list.push(record);
  }
  return { batch, order };
}
