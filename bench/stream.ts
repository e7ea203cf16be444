import type { Lifecycle, LifecycleEvent } from "@phasekit/core";
import { mulberry32 } from "./prng.js";

/**
 * A seeded stream of events over a fixed number of live entities, for any lifecycle. Stored as typed
 * arrays (10 million event objects would cost about 1.5 GB): event `i` goes to live slot `slot[i]`,
 * which holds entity number `entity[i]`; `fresh[i]` is 1 when that entity is new (its record is the
 * initial one); `event[i]` indexes `pool`, one shared event object per (type, reason).
 */
export interface EventStream {
  readonly length: number;
  readonly live: number;
  readonly slot: Int32Array;
  readonly entity: Int32Array;
  readonly fresh: Uint8Array;
  readonly event: Uint8Array;
  readonly pool: readonly LifecycleEvent[];
  /** Entity numbers handed out: `0 .. entities - 1`. */
  readonly entities: number;
  /** Events the compiled table rejects where they land (the invalid share of the stream). */
  readonly rejected: number;
}

export interface StreamOptions {
  readonly events: number;
  readonly live: number;
  readonly seed: number;
  /** Relative weight of each event type among the events allowed in the current leaf (default 1). */
  readonly weights: Readonly<Record<string, number>>;
  /** Share of events drawn from the whole universe (bogus ones included), whatever the leaf: mostly invalid. */
  readonly noise: number;
  /** Chance that an entity which reaches a terminal status gets no more events and leaves its slot. */
  readonly retire: number;
  /** `lastTransitionTime` carried by every event (one shared string: the step only copies it). */
  readonly at?: string;
}

/** Events no lifecycle accepts: an unknown reason on a known type, and an unknown type. */
export const bogusEvents = (lc: Lifecycle): { type: string; reason: string | null }[] => [
  { type: lc.events[0]!.type, reason: "NoSuchReason" },
  { type: "no-such-event", reason: null },
];

/**
 * Builds the stream by walking the compiled table (the generator only needs to know which events are
 * allowed where; the cases cross-check the table against the hand-written reducer and xstate).
 */
export function generateStream(lc: Lifecycle, o: StreamOptions): EventStream {
  const rng = mulberry32(o.seed);
  const at = o.at ?? "2026-01-01T00:00:00Z";
  const universe = [...lc.events, ...bogusEvents(lc)];
  const pool: LifecycleEvent[] = universe.map((e) => ({ type: e.type, reason: e.reason, message: null, at }));
  const width = lc.events.length;
  // Per leaf: the allowed event indices and their cumulative weights.
  const choices = lc.leaves.map((_, li) => {
    const ids: number[] = [];
    const cum: number[] = [];
    let total = 0;
    for (let ei = 0; ei < width; ei++) {
      if (lc.table[li * width + ei]! < 0) continue;
      total += o.weights[lc.events[ei]!.type] ?? 1;
      ids.push(ei);
      cum.push(total);
    }
    return { ids, cum, total };
  });
  const terminal = lc.leaves.map((l) => lc.spec.statuses[l.status]!.terminal);
  const initial = lc.leafOf(lc.spec.initial.status, lc.spec.initial.reason)!;

  const s = {
    length: o.events,
    live: o.live,
    slot: new Int32Array(o.events),
    entity: new Int32Array(o.events),
    fresh: new Uint8Array(o.events),
    event: new Uint8Array(o.events),
    pool,
    entities: 0,
    rejected: 0,
  };
  const leafOf = new Int32Array(o.live).fill(initial);
  const entityOf = new Int32Array(o.live);
  const isNew = new Uint8Array(o.live).fill(1);
  for (let k = 0; k < o.live; k++) entityOf[k] = s.entities++;
  const refill = (k: number) => {
    leafOf[k] = initial;
    entityOf[k] = s.entities++;
    isNew[k] = 1;
  };
  for (let i = 0; i < o.events; i++) {
    const k = Math.floor(rng() * o.live);
    const from = leafOf[k]!;
    const c = choices[from]!;
    let ei: number;
    if (rng() < o.noise || c.total === 0) ei = Math.floor(rng() * universe.length);
    else {
      const x = rng() * c.total;
      let j = 0;
      while (c.cum[j]! <= x) j++;
      ei = c.ids[j]!;
    }
    s.slot[i] = k;
    s.entity[i] = entityOf[k]!;
    s.fresh[i] = isNew[k]!;
    s.event[i] = ei;
    isNew[k] = 0;
    const to = ei < width ? lc.table[from * width + ei]! : -1;
    if (to < 0) {
      s.rejected++;
      continue;
    }
    leafOf[k] = to;
    if (choices[to]!.total === 0 || (terminal[to] && rng() < o.retire)) refill(k);
  }
  return s;
}
