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
 * A record's (status, reason) and an event's (type, reason) as one cell, `row * width + column`: row
 * `1 + i` for the system's `i`th (status, reason) and column `1 + j` for its `j`th event, 0 for a pair
 * it does not know (the type `""` stands for no event at all).
 */
export type GeneratedCell = (
  status: string,
  reason: string | null | undefined,
  type: string,
  given: string | null | undefined,
) => number;

/**
 * A system's lookup compiled ahead of time into code: `pnpm reducers:gen` writes one per system into a
 * checked-in `steps.generated.ts` beside its machines, from the (status, reason) pairs and events of
 * all its kinds. `cell` decides with string comparisons in `switch`es, as a hand-written reducer
 * does, instead of keyed lookups: first the event's type (and reason), then the record's status (and
 * reason). A {@link Lifecycle} given one ({@link Lifecycle.generated}) finds the cell's row and column
 * of each of its leaves and events once, at construction, and keeps its own table of what a step does
 * in each cell; it uses the lookup only if the lookup knows every leaf and event of its kind, each at
 * a cell of its own, so a lookup older than the machine is slower (the kind steps by its table's
 * maps), never wrong.
 *
 * @example
 * ```ts
 * const lookup: GeneratedLookup = {
 *   rows: 2,
 *   width: 2,
 *   cell: (s, r, t, g) => (t === "delete" && g == null ? 1 : 0) + (s === "Ready" && r == null ? 2 : 0),
 * };
 * lookup.cell("Ready", null, "delete", null); // 3: row 1 (Ready), column 1 (delete)
 * ```
 */
export interface GeneratedLookup {
  /** How many rows `cell` can return: the system's (status, reason) pairs, plus one. */
  readonly rows: number;
  /** How many columns: the system's events, plus one. */
  readonly width: number;
  readonly cell: GeneratedCell;
}

/**
 * The generated lookup of a system for each of the kinds it was generated from (their names separated
 * by spaces), by kind name, as a generated file exports it (`steps.Evaluation`). Every kind of a
 * system shares the one lookup.
 *
 * @example
 * ```ts
 * const steps = generatedSteps(lookup, "Thing Other"); // kinds, separated by spaces
 * new Lifecycle(thingSpec, steps.Thing);
 * ```
 */
export function generatedSteps(
  lookup: GeneratedLookup,
  kinds: string,
): Readonly<Record<string, GeneratedLookup>> {
  return Object.fromEntries(kinds.split(" ").map((kind) => [kind, lookup]));
}

/** How a {@link Lifecycle} steps: its cell function, and what a step does in each cell. */
export interface CellTables {
  readonly cell: GeneratedCell;
  readonly width: number;
  /**
   * Per cell: the next leaf when the event moves the record to another leaf, `-2 - leaf` when it keeps
   * the record in its leaf, `-2 - leaves - (leaf * events + event)` when the table rejects the event
   * in the record's leaf, `-2 - leaves - leaves * events - leaf` for an event the kind does not know
   * in a leaf, or -1 when the record is no leaf of the kind: "ask the table".
   */
  readonly cells: Int16Array;
  /** Per row, the kind's leaf, or -1. */
  readonly rows: Int16Array;
  /** Per column, the kind's event, or -1. */
  readonly columns: Int16Array;
  /** True when `cell` is the generated lookup. */
  readonly generated: boolean;
}

/**
 * A kind's {@link CellTables}: over the generated lookup when it knows every leaf and event of the
 * kind, each in a row and a column of its own; else over the compiled table's maps.
 */
export function cellTables(compiled: CompiledTable, lookup?: GeneratedLookup): CellTables {
  const { leaves, events } = compiled;
  const generated = lookup === undefined ? undefined : placed(compiled, lookup);
  const width = generated ? lookup!.width : events.length + 1;
  const rowsCount = generated ? lookup!.rows : leaves.length + 1;
  const leafRows = generated?.leafRows ?? leaves.map((_, i) => i + 1);
  const eventColumns = generated?.eventColumns ?? events.map((_, j) => j + 1);
  const cell: GeneratedCell = generated ? lookup!.cell : tableCell(compiled);
  const rows = new Int16Array(rowsCount).fill(REJECT);
  for (const [li, row] of leafRows.entries()) rows[row] = li;
  const columns = new Int16Array(width).fill(REJECT);
  for (const [ei, column] of eventColumns.entries()) columns[column] = ei;
  if (-1 - leaves.length * (2 + events.length) < -32768)
    throw new Error(`${leaves.length} leaves x ${events.length} events do not fit the 16-bit cells`);
  const cells = new Int16Array(rowsCount * width).fill(REJECT);
  const unknown = -2 - leaves.length - leaves.length * events.length;
  leafRows.forEach((row, li) => {
    cells.fill(unknown - li, row * width, (row + 1) * width);
    eventColumns.forEach((column, ei) => {
      const at = li * events.length + ei;
      const to = compiled.table[at]!;
      cells[row * width + column] = to === REJECT ? -2 - leaves.length - at : to === li ? -2 - li : to;
    });
  });
  return { cell, width, cells, rows, columns, generated: generated !== undefined };
}

/**
 * The cell function of a kind without a generated lookup: its leaves and events in maps (a null
 * reason is the key `null`, so no made-up reason stands for it).
 */
function tableCell(compiled: CompiledTable): GeneratedCell {
  const index = (pairs: readonly (readonly [string, string | null])[]) => {
    const map = new Map<string, Map<string | null, number>>();
    pairs.forEach(([name, reason], i) => {
      if (!map.has(name)) map.set(name, new Map());
      map.get(name)!.set(reason, i + 1);
    });
    return map;
  };
  const leaves = index(compiled.leaves.map((l) => [l.status, l.reason]));
  const events = index(compiled.events.map((e) => [e.type, e.reason]));
  const width = compiled.events.length + 1;
  return (s, r, t, g) => (leaves.get(s)?.get(r ?? null) ?? 0) * width + (events.get(t)?.get(g ?? null) ?? 0);
}

/** Where the lookup puts each leaf and event of the kind, or undefined when it misses one or puts two in one place. */
function placed(compiled: CompiledTable, lookup: GeneratedLookup) {
  const { width, rows, cell } = lookup;
  const leafRows = compiled.leaves.map((l) => cell(l.status, l.reason, "", null) / width);
  const eventColumns = compiled.events.map((e) => cell("", null, e.type, e.reason));
  const distinct = (xs: number[], max: number) =>
    new Set(xs).size === xs.length && xs.every((x) => Number.isInteger(x) && x >= 1 && x < max);
  return distinct(leafRows, rows) && distinct(eventColumns, width) ? { leafRows, eventColumns } : undefined;
}
