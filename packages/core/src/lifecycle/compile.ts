import { type AnyStateMachine, transition } from "xstate";
import type { EventDescriptor } from "./errors.js";
import { type LifecycleEvent, leafValue, reasonKey } from "./machine.js";
import { type LifecycleSpec, leafReasons, type StatusSpec } from "./spec.js";

/** A (status, reason) pair: one leaf of the machine. */
export interface Leaf<S extends string = string, R extends string = string> {
  readonly status: S;
  readonly reason: R | null;
}

/** The cell of a table (or of `byTarget`) that no event fills: the event is rejected there. */
export const REJECT = -1;

/** What {@link compileTable} asks xstate once per kind: every leaf, every event, and where each leads. */
export interface CompiledTable {
  readonly leaves: readonly Leaf[];
  /** Status, then reason (or `_` for null), to leaf index. */
  readonly leafIndex: Map<string, Map<string, number>>;
  readonly events: readonly EventDescriptor[];
  /** Event type, then reason (or `_`), to event index. */
  readonly eventIndex: Record<string, Record<string, number>>;
  /** `table[leaf * events.length + event]`: the next leaf, or {@link REJECT}. */
  readonly table: Int16Array;
  /** `byTarget[from * leaves.length + to]`: the first event that moves leaf `from` to `to`, or {@link REJECT}. */
  readonly byTarget: Int16Array;
}

/**
 * Compiles a machine into a flat table by asking xstate itself: for every leaf and every event the
 * spec mentions, it resolves the leaf's snapshot and calls the pure `transition()`. So the table
 * cannot disagree with the machine by construction.
 */
export function compileTable(spec: LifecycleSpec, machine: AnyStateMachine): CompiledTable {
  const leaves: Leaf[] = [];
  const leafIndex = new Map<string, Map<string, number>>();
  for (const [status, st] of Object.entries(spec.statuses) as [string, StatusSpec][]) {
    const row = new Map<string, number>();
    leafIndex.set(status, row);
    for (const reason of leafReasons(st)) {
      row.set(reasonKey(reason), leaves.length);
      leaves.push({ status, reason });
    }
  }
  const events: EventDescriptor[] = [];
  const eventIndex: Record<string, Record<string, number>> = Object.create(null);
  const addEvent = (type: string, reason: string | null) => {
    const row: Record<string, number> = (eventIndex[type] ??= Object.create(null));
    if (row[reasonKey(reason)] === undefined) {
      row[reasonKey(reason)] = events.length;
      events.push({ type, reason });
    }
  };
  for (const t of spec.transitions) {
    if (t.reasons !== undefined) for (const r of t.reasons) addEvent(t.event, r);
    else {
      addEvent(t.event, null);
      if (t.reason != null) addEvent(t.event, t.reason);
    }
  }
  for (const e of events) Object.freeze(e);
  const table = new Int16Array(leaves.length * events.length).fill(REJECT);
  const byTarget = new Int16Array(leaves.length * leaves.length).fill(REJECT);
  leaves.forEach((leaf, li) => {
    const snapshot = machine.resolveState({ value: leafValue(leaf.status, leaf.reason), context: {} });
    events.forEach((ev, ei) => {
      const event: LifecycleEvent = { type: ev.type, reason: ev.reason };
      if (!snapshot.can(event)) return;
      const [next] = transition(machine, snapshot, event);
      const value = next.value as Record<string, string>;
      const status = Object.keys(value)[0]!;
      const to = leafIndex.get(status)!.get(value[status]!)!;
      table[li * events.length + ei] = to;
      if (byTarget[li * leaves.length + to] === REJECT) byTarget[li * leaves.length + to] = ei;
    });
  });
  return { leaves, leafIndex, events, eventIndex, table, byTarget };
}

/**
 * A short digest of a compiled table: its leaves and events (names and order) and every cell. A
 * reducer generated from a table carries the table's fingerprint, so a lifecycle uses it only while
 * its own table is the same. cyrb53 (a public-domain 53-bit string hash) over a canonical text, as
 * 14 hex digits: pure, and collisions between two tables of one kind are out of reach.
 */
export function tableFingerprint(
  leaves: readonly Leaf[],
  events: readonly EventDescriptor[],
  table: Int16Array,
): string {
  const text = JSON.stringify([
    leaves.map((l) => [l.status, l.reason]),
    events.map((e) => [e.type, e.reason]),
    Array.from(table),
  ]);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hash = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return hash.toString(16).padStart(14, "0");
}

/**
 * A lifecycle's step compiled ahead of time into code: `pnpm reducers:gen` writes one per kind, from
 * the kind's table, into a checked-in `steps.generated.ts` beside each system's machines. `next`
 * decides with string comparisons in `switch`es, as a hand-written reducer does, instead of the
 * table's keyed lookups.
 *
 * `next(status, reason, type, given)` takes the record's status and reason and the event's type and
 * reason as they come (`undefined` included) and returns the index of the next leaf when the event
 * moves the record to another leaf, `-2 - leaf` when it keeps the record in its leaf,
 * `-2 - leaves - (leaf * events + event)` when the table rejects the event in the record's leaf,
 * `-2 - leaves - leaves * events - event` when it rejects a known event where the record is (the
 * record's leaf, if it is one, left for `leaf` to find), or -1 when it does not know the event: "ask
 * the table". A {@link Lifecycle} steps by it, returns the rejection's shared error, and leaves the
 * rest to the table, which builds the errors. A lifecycle uses it only while `fingerprint` equals its own
 * table's ({@link Lifecycle.generated} says whether it does).
 *
 * @example
 * ```ts
 * import { dyff } from "@phasekit/core";
 * dyff.Evaluation.generated; // true: its step runs the generated reducer
 * ```
 */
export interface GeneratedStep {
  /** The {@link tableFingerprint} of the table it was generated from. */
  readonly fingerprint: string;
  readonly next: (
    status: string,
    reason: string | null | undefined,
    type: string,
    given: string | null | undefined,
  ) => number;
  /** The index of the leaf (status, reason), or -1: ask the table. What {@link Lifecycle.leafOf} asks first. */
  readonly leaf: (status: string, reason: string | null | undefined) => number;
}

/** The index of a system's (status, reason) or (type, reason), or -1: a generated file's shared switches. */
export type GeneratedIndex = (name: string, reason: string | null | undefined) => number;

/**
 * The {@link GeneratedStep}s of a generated file (`pnpm reducers:gen`): the system's `switch`es find
 * the record's (status, reason) and the event's (type, reason) among all the system's, once for every
 * kind, and each kind's encoded tables (`"fingerprint leaves events codes"`, comma-separated numbers)
 * map those to its own leaf and event, then to what `next` returns. Kinds that share statuses and events
 * share the code that compares strings, so a generated file repeats nothing.
 *
 * @example
 * ```ts
 * const leaf: GeneratedIndex = (s, r) => (s === "Ready" && r == null ? 0 : -1);
 * const event: GeneratedIndex = (t, g) => (t === "delete" && g == null ? 0 : -1);
 * const steps = generatedSteps(leaf, event, { Thing: "0123456789abcd -1,0 -1,0 -2" });
 * steps.Thing!.next("Ready", null, "delete", null); // -2: the record stays in leaf 0
 * ```
 */
export function generatedSteps(
  leafOf: GeneratedIndex,
  eventOf: GeneratedIndex,
  kinds: Readonly<Record<string, string>>,
): Record<string, GeneratedStep> {
  const steps: Record<string, GeneratedStep> = {};
  for (const [kind, encoded] of Object.entries(kinds)) {
    const [fingerprint = "", ...tables] = encoded.split(" ");
    // Shifted by one: index 0 stands for the system's -1 (not a leaf, not an event).
    const [leaves, events, codes] = tables.map((t) => Int32Array.from(t.split(","), Number)) as [
      Int32Array,
      Int32Array,
      Int32Array,
    ];
    const width = Math.max(...events) + 1;
    const rejected = -2 - (codes.length / width) * (1 + width);
    const leaf = (s: string, r: string | null | undefined) => leaves[leafOf(s, r) + 1]!;
    steps[kind] = {
      fingerprint,
      next: (s, r, t, g) => {
        const e = events[eventOf(t, g) + 1]!;
        if (e < 0) return -1;
        const l = leaves[leafOf(s, r) + 1]!;
        return l < 0 ? rejected - e : codes[l * width + e]!;
      },
      leaf,
    };
  }
  return steps;
}
