import { type Lifecycle, type StatusRecord, Watermarks } from "@phasekit/core";
import { pairedRatio, race } from "../harness.js";
import { SEED } from "../prng.js";
import type { Figure } from "../report.js";
import { type EventStream, generateStream } from "../stream.js";
import type { Subject } from "../subjects/index.js";
import { entityIds } from "./replay.js";

/**
 * At-least-once dedupe: a Kafka consumer keeps the highest offset it applied per partition
 * (`Watermarks`) and skips anything at or below it. The log is consumed once (unique events), then
 * redelivered whole (100% duplicates, as after a rebalance that rewinds to an old commit). Goal: the
 * duplicates cost at most 1.5x the unique events. For comparison, the same redelivery with no dedupe
 * (every duplicate stepped again: a no-op or a rejection).
 */
export interface DedupeSize {
  readonly events: number;
  readonly live: number;
  readonly partitions: number;
  readonly rounds: number;
}

interface Log {
  readonly s: EventStream;
  readonly ids: string[];
  readonly partition: Uint8Array;
  readonly offset: Int32Array;
}

function log(subject: Subject, size: DedupeSize): Log {
  const s = generateStream(subject.lifecycle, {
    events: size.events,
    live: size.live,
    seed: SEED,
    weights: subject.weights,
    noise: 0.05,
    retire: 0.7,
  });
  const partition = new Uint8Array(s.length);
  const offset = new Int32Array(s.length);
  const next = new Int32Array(size.partitions);
  for (let i = 0; i < s.length; i++) {
    const p = s.entity[i]! % size.partitions; // the record key (entity id) picks the partition
    partition[i] = p;
    offset[i] = next[p]!++;
  }
  return { s, ids: entityIds(s.entities, SEED + 1), partition, offset };
}

function consume(lc: Lifecycle, l: Log, marks: Watermarks<number>, state: Map<string, StatusRecord>): number {
  const { entity, event, pool, length } = l.s;
  const initial = lc.initial();
  let skipped = 0;
  for (let i = 0; i < length; i++) {
    if (!marks.accept(l.partition[i]!, l.offset[i]!)) {
      skipped++;
      continue;
    }
    const id = l.ids[entity[i]!]!;
    const record = state.get(id) ?? initial;
    const next = lc.step(record, pool[event[i]!]!);
    if (next !== record && !(next instanceof Error)) state.set(id, next);
  }
  return skipped;
}

function consumeBlind(lc: Lifecycle, l: Log, state: Map<string, StatusRecord>): number {
  const { entity, event, pool, length } = l.s;
  const initial = lc.initial();
  let rejected = 0;
  for (let i = 0; i < length; i++) {
    const id = l.ids[entity[i]!]!;
    const record = state.get(id) ?? initial;
    const next = lc.step(record, pool[event[i]!]!);
    if (next instanceof Error) rejected++;
    else if (next !== record) state.set(id, next);
  }
  return rejected;
}

export function dedupeCase(subject: Subject, size: DedupeSize): Figure[] {
  const lc = subject.lifecycle;
  const l = log(subject, size);
  // Consume the log once; check that nothing of it was skipped and that its redelivery is skipped
  // whole. Skipping changes neither the watermarks nor the records, so every round reuses them.
  const seen = new Watermarks<number>();
  const consumed = new Map<string, StatusRecord>();
  const firstSkipped = consume(lc, l, seen, consumed);
  const againSkipped = consume(lc, l, seen, consumed);
  if (firstSkipped !== 0 || againSkipped !== l.s.length) {
    throw new Error(
      `dedupe: skipped ${firstSkipped} of the unique log and ${againSkipped}/${l.s.length} of its redelivery`,
    );
  }
  let marks = new Watermarks<number>();
  let state = new Map<string, StatusRecord>();
  const rounds = race(
    [
      {
        name: "unique",
        ops: l.s.length,
        setup: () => {
          marks = new Watermarks();
          state = new Map();
        },
        run: () => consume(lc, l, marks, state),
      },
      { name: "duplicates", ops: l.s.length, run: () => consume(lc, l, seen, consumed) },
      {
        name: "duplicates, no dedupe",
        ops: l.s.length,
        setup: () => (state = new Map(consumed)),
        run: () => consumeBlind(lc, l, state),
      },
    ],
    size.rounds,
  );
  const med = (name: string) => [...rounds[name]!].sort((a, b) => a - b)[rounds[name]!.length >> 1]!;
  const where = `${l.s.length} events, ${size.partitions} partitions, ${size.live} live entities, ${size.rounds} interleaved rounds`;
  return [
    {
      case: "dedupe",
      subject: subject.name,
      metric: "cost of 100% duplicates / unique",
      value: med("duplicates"),
      unit: "ev/s",
      baseline: { name: "unique", value: med("unique") },
      ratio: pairedRatio(rounds, "unique", "duplicates"),
      ratioUnit: "x",
      goal: { op: "<=", value: 1.5 },
      note: `per-partition offset watermark; ${where}`,
    },
    {
      case: "dedupe",
      subject: subject.name,
      metric: "cost of duplicates without dedupe / unique",
      value: med("duplicates, no dedupe"),
      unit: "ev/s",
      baseline: { name: "unique", value: med("unique") },
      ratio: pairedRatio(rounds, "unique", "duplicates, no dedupe"),
      ratioUnit: "x",
      note: "each duplicate stepped again: a no-op or a rejected event",
    },
  ];
}
