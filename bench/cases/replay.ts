import type { Lifecycle, StatusRecord } from "@phasekit/core";
import { initialTransition, transition } from "xstate";
import { liveHeap, pairedRatio, race } from "../harness.js";
import { mulberry32, SEED } from "../prng.js";
import type { Figure } from "../report.js";
import { type EventStream, generateStream } from "../stream.js";
import type { Subject } from "../subjects/index.js";

/**
 * Replay: folding a long log into one record per entity id (`Map<id, record>`), as a consumer
 * rebuilding state from the start of a topic does. 10 million events over 1 million live entities;
 * the hand reducer's fold is the baseline (goal: at least 50% of its throughput). Then the heap the
 * replayed records take per entity, against a plain `{status, reason}` object per entity (goal: at
 * most 2x), both after forced GC.
 */
export interface ReplaySize {
  readonly events: number;
  readonly live: number;
  readonly rounds: number;
  readonly noise: number;
  /** Entities whose xstate snapshots are weighed, for comparison (0: skip). */
  readonly xstateHeapEntities: number;
}

/** Dyff-style entity ids: 32 lowercase hex digits, from the seeded PRNG (hex-encoded by Buffer, flat strings). */
export function entityIds(count: number, seed: number): string[] {
  const rng = mulberry32(seed);
  const bytes = Buffer.alloc(count * 16);
  for (let i = 0; i < count * 4; i++) bytes.writeUInt32LE((rng() * 2 ** 32) >>> 0, i * 4);
  const ids = new Array<string>(count);
  for (let i = 0; i < count; i++) ids[i] = bytes.toString("hex", i * 16, i * 16 + 16);
  return ids;
}

function replayCompiled(
  lc: Lifecycle,
  s: EventStream,
  n: number,
  ids: string[],
  map: Map<string, StatusRecord>,
) {
  const { entity, event, pool } = s;
  const initial = lc.initial();
  for (let i = 0; i < n; i++) {
    const id = ids[entity[i]!]!;
    const record = map.get(id) ?? initial;
    const next = lc.step(record, pool[event[i]!]!);
    if (next !== record && !(next instanceof Error)) map.set(id, next);
  }
  return map.size;
}

function replayHand(
  reduce: Subject["reduce"],
  initial: StatusRecord,
  s: EventStream,
  n: number,
  ids: string[],
  map: Map<string, StatusRecord>,
) {
  const { entity, event, pool } = s;
  for (let i = 0; i < n; i++) {
    const id = ids[entity[i]!]!;
    const record = map.get(id) ?? initial;
    const next = reduce(record, pool[event[i]!]!);
    if (next !== record && next !== null) map.set(id, next);
  }
  return map.size;
}

/** Bytes per entry of a map with the given values: the map's own cost (keys are held elsewhere) plus the values. */
function weigh<V>(keys: readonly string[], value: (i: number) => V): number {
  const before = liveHeap();
  const map = new Map<string, V>();
  for (let i = 0; i < keys.length; i++) map.set(keys[i]!, value(i));
  const bytes = liveHeap() - before;
  if (map.size !== keys.length) throw new Error("weigh: lost entries");
  return bytes / keys.length;
}

export function replayCase(subject: Subject, size: ReplaySize): Figure[] {
  const lc = subject.lifecycle;
  const s = generateStream(lc, {
    events: size.events,
    live: size.live,
    seed: SEED,
    weights: subject.weights,
    noise: size.noise,
    retire: 0.7,
  });
  const ids = entityIds(s.entities, SEED + 1);
  const initial = lc.initial();
  let map = new Map<string, StatusRecord>();
  // Heap, weighed around the compiled fold's first timed round (untimed): the live heap before it and
  // after it with its map alive, against a map of the same keys holding one shared value (the map's
  // own cost) and one holding plain {status, reason} objects of the same leaves. `ids` holds the keys
  // throughout, so no figure counts them.
  const shared = { status: "", reason: null };
  let before = 0;
  let entries = 0;
  let recordBytes = 0;
  let plainBytes = 0;
  let mapOnly = 0;
  const weighRecords = () => {
    const held = (liveHeap() - before) / map.size;
    const keys = [...map.keys()];
    const leaves = [...map.values()];
    entries = keys.length;
    mapOnly = weigh(keys, () => shared);
    recordBytes = held - mapOnly;
    plainBytes = weigh(keys, (i) => ({ status: leaves[i]!.status, reason: leaves[i]!.reason })) - mapOnly;
  };
  // Warm both folds up on a prefix, so the first timed round is not the one that compiles them.
  const warm = Math.min(200_000, s.length);
  replayCompiled(lc, s, warm, ids, new Map());
  replayHand(subject.reduce, initial, s, warm, ids, new Map());
  const rounds = race(
    [
      {
        name: "compiled",
        ops: s.length,
        setup: () => {
          map = new Map();
          if (entries === 0) before = liveHeap();
        },
        run: () => replayCompiled(lc, s, s.length, ids, map),
        after: () => {
          if (entries === 0) weighRecords();
        },
      },
      {
        name: "hand",
        ops: s.length,
        setup: () => (map = new Map()),
        run: () => replayHand(subject.reduce, initial, s, s.length, ids, map),
      },
    ],
    size.rounds,
    0,
  );
  map = new Map();
  const med = (name: string) => [...rounds[name]!].sort((a, b) => a - b)[rounds[name]!.length >> 1]!;

  const figures: Figure[] = [
    {
      case: "replay",
      subject: subject.name,
      metric: "compiled fold / hand fold",
      value: med("compiled"),
      unit: "ev/s",
      baseline: { name: "hand", value: med("hand") },
      ratio: pairedRatio(rounds, "compiled", "hand"),
      ratioUnit: "%",
      goal: { op: ">=", value: 0.5 },
      note: `${s.length} events over ${s.live} live entities (${entries} ids at the end), ${size.rounds} interleaved rounds`,
    },
    {
      case: "replay",
      subject: subject.name,
      metric: "heap: status record / plain {status, reason}",
      value: recordBytes,
      unit: "B/entity",
      baseline: { name: "plain", value: plainBytes },
      ratio: recordBytes / plainBytes,
      ratioUnit: "x",
      goal: { op: "<=", value: 2 },
      note: `after forced GC, net of the Map (${mapOnly.toFixed(0)} B/entry) and of the id strings`,
    },
  ];
  if (size.xstateHeapEntities > 0) {
    const n = Math.min(size.xstateHeapEntities, ids.length);
    const [start] = initialTransition(lc.machine);
    const event = s.pool.find((e) => start.can(e))!;
    const sub = ids.slice(0, n);
    const snapBytes = weigh(sub, () => transition(lc.machine, start, event)[0]) - weigh(sub, () => shared);
    figures.push({
      case: "replay",
      subject: subject.name,
      metric: "heap: xstate snapshot / plain {status, reason}",
      value: snapBytes,
      unit: "B/entity",
      baseline: { name: "plain", value: plainBytes },
      ratio: snapBytes / plainBytes,
      ratioUnit: "x",
      note: `${n} snapshots from transition(), for comparison`,
    });
  }
  return figures;
}
