import type { Lifecycle, LifecycleEvent, StatusRecord } from "@phasekit/core";
import { type AnyMachineSnapshot, type AnyStateMachine, initialTransition, transition } from "xstate";
import { pairedRatio, race } from "../harness.js";
import { SEED } from "../prng.js";
import type { Figure } from "../report.js";
import { type EventStream, generateStream } from "../stream.js";
import type { Subject } from "../subjects/index.js";

/**
 * Step throughput: the compiled `Lifecycle.step` against the hand-written reducer of the same machine
 * and against xstate's pure `transition()`, over a seeded stream on a small set of live entities
 * (records in an array by slot, so the figure is the step, not a Map). Goal: within 1.25x of the hand
 * reducer (issue 17; it was 3x before the generated reducers), so `pnpm bench:quick` fails above 2.5x.
 * Each implementation has its own loop, so no call site is shared between them.
 */
export interface StepSize {
  readonly events: number;
  readonly xstateEvents: number;
  readonly live: number;
  readonly rounds: number;
  /** Share of noise events (mostly invalid). */
  readonly noise: number;
}

function foldCompiled(lc: Lifecycle, s: EventStream, n: number, records: StatusRecord[]): number {
  const { slot, fresh, event, pool } = s;
  const initial = lc.initial();
  let rejected = 0;
  for (let i = 0; i < n; i++) {
    const k = slot[i]!;
    const next = lc.step(fresh[i] === 1 ? initial : records[k]!, pool[event[i]!]!);
    if (next instanceof Error) rejected++;
    else records[k] = next;
  }
  return rejected;
}

function foldHand(
  reduce: Subject["reduce"],
  initial: StatusRecord,
  s: EventStream,
  n: number,
  records: StatusRecord[],
): number {
  const { slot, fresh, event, pool } = s;
  let rejected = 0;
  for (let i = 0; i < n; i++) {
    const k = slot[i]!;
    const next = reduce(fresh[i] === 1 ? initial : records[k]!, pool[event[i]!]!);
    if (next === null) rejected++;
    else records[k] = next;
  }
  return rejected;
}

function foldXstate(
  machine: AnyStateMachine,
  s: EventStream,
  n: number,
  snaps: AnyMachineSnapshot[],
): number {
  const { slot, fresh, event, pool } = s;
  const [initial] = initialTransition(machine);
  for (let i = 0; i < n; i++) {
    const k = slot[i]!;
    const [next] = transition(machine, fresh[i] === 1 ? initial : snaps[k]!, pool[event[i]!]!);
    snaps[k] = next;
  }
  return n;
}

const same = (a: StatusRecord, b: StatusRecord) =>
  a.status === b.status &&
  a.reason === b.reason &&
  a.message === b.message &&
  a.lastTransitionTime === b.lastTransitionTime;

/**
 * Steps the compiled lifecycle and the hand reducer side by side over the stream: counts every event
 * where they differ (one rejects and the other does not, the records differ, or one returns the same
 * record where the other makes a new one).
 */
export function crossCheckHand(subject: Subject, s: EventStream, n = s.length): number {
  const lc = subject.lifecycle;
  const records: StatusRecord[] = new Array(s.live).fill(lc.initial());
  let mismatches = 0;
  for (let i = 0; i < n; i++) {
    const k = s.slot[i]!;
    const from = s.fresh[i] === 1 ? lc.initial() : records[k]!;
    const ev = s.pool[s.event[i]!]!;
    const ours = lc.step(from, ev);
    const theirs = subject.reduce(from, ev);
    if (ours instanceof Error) {
      if (theirs !== null) mismatches++;
      records[k] = from;
      continue;
    }
    if (theirs === null || !same(ours, theirs) || (ours === from) !== (theirs === from)) mismatches++;
    records[k] = ours;
  }
  return mismatches;
}

/** The same against xstate's `transition()`: the leaf after every event must match. */
export function crossCheckXstate(subject: Subject, s: EventStream, n: number): number {
  const lc = subject.lifecycle;
  const [initial] = initialTransition(lc.machine);
  const records: StatusRecord[] = new Array(s.live).fill(lc.initial());
  const snaps: AnyMachineSnapshot[] = new Array(s.live).fill(initial);
  let mismatches = 0;
  for (let i = 0; i < n; i++) {
    const k = s.slot[i]!;
    const fresh = s.fresh[i] === 1;
    const ev: LifecycleEvent = s.pool[s.event[i]!]!;
    const ours = lc.step(fresh ? lc.initial() : records[k]!, ev);
    const [snap] = transition(lc.machine, fresh ? initial : snaps[k]!, ev);
    if (!(ours instanceof Error)) records[k] = ours;
    else if (fresh) records[k] = lc.initial();
    snaps[k] = snap;
    const value = snap.value as Record<string, string>;
    const status = Object.keys(value)[0]!;
    const reason = value[status] === "_" ? null : value[status]!;
    if (records[k]!.status !== status || records[k]!.reason !== reason) mismatches++;
  }
  return mismatches;
}

export function stepCase(subject: Subject, size: StepSize): Figure[] {
  const lc = subject.lifecycle;
  const s = generateStream(lc, {
    events: size.events,
    live: size.live,
    seed: SEED,
    weights: subject.weights,
    noise: size.noise,
    retire: 0.7,
  });
  const xn = Math.min(size.xstateEvents, s.length);
  const handMismatches = crossCheckHand(subject, s);
  const xstateMismatches = crossCheckXstate(subject, s, xn);

  const initial = lc.initial();
  let records: StatusRecord[] = [];
  let snaps: AnyMachineSnapshot[] = [];
  const rounds = race(
    [
      {
        name: "compiled",
        ops: s.length,
        setup: () => (records = new Array(s.live).fill(initial)),
        run: () => foldCompiled(lc, s, s.length, records),
      },
      {
        name: "hand",
        ops: s.length,
        setup: () => (records = new Array(s.live).fill(initial)),
        run: () => foldHand(subject.reduce, initial, s, s.length, records),
      },
      {
        name: "xstate",
        ops: xn,
        setup: () => (snaps = new Array(s.live).fill(initialTransition(lc.machine)[0])),
        run: () => foldXstate(lc.machine, s, xn, snaps),
      },
    ],
    size.rounds,
  );
  const med = (name: string) => [...rounds[name]!].sort((a, b) => a - b)[rounds[name]!.length >> 1]!;
  const rejectedShare = `${((s.rejected / s.length) * 100).toFixed(1)}% of events rejected`;
  const where = `${size.live} live entities, ${size.rounds} interleaved rounds`;
  return [
    {
      case: "step",
      subject: subject.name,
      metric: "hand reducer / compiled step",
      value: med("compiled"),
      unit: "ev/s",
      baseline: { name: "hand", value: med("hand") },
      ratio: pairedRatio(rounds, "hand", "compiled"),
      ratioUnit: "x",
      goal: { op: "<=", value: 1.25 },
      note: `${s.length} events, ${rejectedShare}, ${where}, ${lc.generated ? "generated lookup" : "NO generated lookup (run pnpm reducers:gen): the table's maps"}`,
    },
    {
      case: "step",
      subject: subject.name,
      metric: "hand reducer / xstate transition()",
      value: med("xstate"),
      unit: "ev/s",
      baseline: { name: "hand", value: med("hand") },
      ratio: pairedRatio(rounds, "hand", "xstate"),
      ratioUnit: "x",
      note: `${xn} events (the first of the same stream), ${where}`,
    },
    {
      case: "step",
      subject: subject.name,
      metric: "mismatches: compiled vs hand",
      value: s.length,
      unit: "ev",
      ratio: handMismatches,
      ratioUnit: "count",
      goal: { op: "<=", value: 0 },
      note: "every event of the stream, records compared field by field",
    },
    {
      case: "step",
      subject: subject.name,
      metric: "mismatches: compiled vs xstate",
      value: xn,
      unit: "ev",
      ratio: xstateMismatches,
      ratioUnit: "count",
      goal: { op: "<=", value: 0 },
      note: "the leaf after every event",
    },
  ];
}
