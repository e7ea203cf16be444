import type { AnyStateMachine } from "xstate";
import type * as z from "zod";
import { decode } from "../decode.js";
import {
  type CellTables,
  cellTables,
  compileTable,
  type GeneratedLookup,
  type Leaf,
  REJECT,
} from "./compile.js";
import { DecodeError, TransitionError } from "./errors.js";
import { buildMachine, type EventDescriptorUnion, type EventReasons, type EventUnion } from "./machine.js";
import type { StatusRecord } from "./record.js";
import { moveEvent, Rejections, unshared } from "./rejections.js";
import { recordSchemas } from "./schemas.js";
import type { LifecycleSpec, Outcome, StatusSpec } from "./spec.js";
import { badTime, isRfc3339 } from "./time.js";
import { withoutStack } from "./without-stack.js";

export type { GeneratedCell, GeneratedLookup, Leaf } from "./compile.js";
export type {
  AnyLifecycle,
  LifecycleEventOf,
  LifecycleEventType,
  LifecycleReason,
  LifecycleRecord,
  LifecycleStatus,
} from "./types.js";

/**
 * A status change requested by target rather than by event, as Dyff's status messages are. `at`
 * works as on an event: an RFC 3339 time, or the new record's time is `null` (unknown).
 */
export interface StatusPatch<S extends string = string, R extends string = string> {
  readonly status: S;
  readonly reason?: R | null;
  readonly message?: string | null;
  readonly at?: string | null;
}

/**
 * One resource kind's lifecycle: its spec, its xstate machine (the definition), and the flat table
 * compiled from that machine once, at construction (what {@link Lifecycle.step} runs).
 *
 * Typed by its statuses `S`, reasons `R`, event types `E` and the reasons each event carries `M`
 * (all literal unions for the built-in kinds), so `step(record, { type: "explode" })` or a reason the
 * event cannot carry does not compile. `Lifecycle` with no arguments is any kind, wide (see
 * {@link AnyLifecycle}).
 *
 * Times: an event's `at` (RFC 3339) becomes the `lastTransitionTime` of the record it changes; an
 * event without `at` that changes the record leaves `lastTransitionTime` `null` (unknown), never the
 * previous, stale, time. A malformed `at` is a {@link DecodeError} naming the field `at`. Core keeps
 * no clock: the caller says when.
 *
 * Compilation asks xstate itself: for every leaf and every event the spec mentions, it resolves the
 * leaf's snapshot and calls the pure `transition()`. So the table cannot disagree with the machine by
 * construction, and a property test re-checks it on random paths.
 *
 * @example
 * ```ts
 * import { dyff } from "@phasekit/core";
 * const created = dyff.Evaluation.initial("2026-01-01T00:00:00Z");
 * const admitted = dyff.Evaluation.stepOrThrow(created, { type: "admit" });
 * admitted.status; // "Admitted"
 * ```
 */
export class Lifecycle<
  S extends string = string,
  R extends string = string,
  E extends string = string,
  M extends EventReasons<E, string> = EventReasons<E, R>,
> {
  readonly system: string;
  readonly kind: string;
  readonly machine: AnyStateMachine;
  /** Every leaf, indexed as in the table. */
  readonly leaves: readonly Leaf<S, R>[];
  /** Every event the spec mentions (type and carried reason), indexed as in the table. */
  readonly events: readonly EventDescriptorUnion<E, M>[];
  /** `table[leaf * events.length + event]` is the next leaf, or -1 when the event is rejected. */
  readonly table: Int16Array;
  readonly schemas: {
    readonly status: z.ZodType<S>;
    readonly reason: z.ZodType<R | null>;
    readonly record: z.ZodType<StatusRecord<S, R>>;
  };
  /** `byTarget[from * leaves.length + to]`: the first event that moves leaf `from` to `to`, or -1. */
  private readonly byTarget: Int16Array;
  /** The events accepted in each leaf, frozen: `allowed()` copies them, rejections share them. */
  private readonly allowedIn: readonly (readonly EventDescriptorUnion<E, M>[])[];
  /**
   * True when `step` runs the lookup generated ahead of time for this kind's system (`pnpm
   * reducers:gen`), false when it runs the table's maps (a kind defined outside phasekit, or a generated
   * file older than the machine). Either way the results are the same; the generated one is faster.
   */
  readonly generated: boolean;
  /** The cell function (generated, or the table's maps) and what a step does in each cell. */
  private readonly lookup: CellTables["cell"];
  private readonly width: number;
  private readonly cells: Int16Array;
  private readonly rows: Int16Array;
  private readonly columns: Int16Array;
  /** The errors of rejected events and moves, shared and frozen where a step returns them. */
  private readonly rejections: Rejections;
  /**
   * The last `at` found to be RFC 3339: events of one batch often share their time string, and the
   * check reads every character, which would cost a step a third of its time.
   */
  private checkedAt: string | null = null;

  constructor(
    readonly spec: LifecycleSpec<S, R, E>,
    generated?: GeneratedLookup,
  ) {
    this.system = spec.system;
    this.kind = spec.kind;
    this.machine = buildMachine(spec as LifecycleSpec);
    const compiled = compileTable(spec as LifecycleSpec, this.machine);
    const { leaves, events, table } = compiled;
    this.leaves = leaves as Leaf<S, R>[];
    this.events = events as unknown as EventDescriptorUnion<E, M>[];
    this.table = table;
    this.byTarget = compiled.byTarget;
    const tables = cellTables(compiled, generated);
    this.generated = tables.generated;
    this.lookup = tables.cell;
    this.width = tables.width;
    this.cells = tables.cells;
    this.rows = tables.rows;
    this.columns = tables.columns;
    this.allowedIn = leaves.map((_, li) =>
      Object.freeze(this.events.filter((_, ei) => table[li * events.length + ei] !== REJECT)),
    );
    this.rejections = new Rejections(this.system, this.kind, leaves, events, this.allowedIn, (s, r) =>
      this.leafOf(s, r),
    );
    this.schemas = recordSchemas<S, R>(spec, this.leaves, (status, reason) => this.leafOf(status, reason));
  }

  /** The record a new resource starts with. */
  initial(at: string | null = null): StatusRecord<S, R> {
    return {
      status: this.spec.initial.status,
      reason: this.spec.initial.reason,
      message: null,
      lastTransitionTime: at,
    };
  }

  /** The index of a (status, reason) leaf, or undefined when the kind has no such leaf. */
  leafOf(status: string, reason: string | null): number | undefined {
    const leaf = this.rows[(this.lookup(status, reason, "", null) / this.width) | 0]!;
    return leaf === REJECT ? undefined : leaf;
  }

  /** The index of an event (type, reason), or undefined when the kind has no such event. */
  private eventOf(type: string, reason: string | null | undefined): number | undefined {
    const event = this.columns[this.lookup("", null, type, reason)]!;
    return event === REJECT ? undefined : event;
  }

  /**
   * Steps a record by one event: the next record, the same record when nothing changes, a
   * {@link TransitionError} naming what was allowed, or a {@link DecodeError} when `at` is not an
   * RFC 3339 timestamp. Never throws.
   *
   * The next record's `lastTransitionTime` is the event's `at`, or `null` when the event has none:
   * a change at an unknown time, not the previous record's time.
   *
   * The error is a value, so it carries no stack trace (capturing one costs microseconds, a hundred
   * steps), and an event the table rejects in a leaf always gets the same frozen error.
   * {@link Lifecycle.stepOrThrow} throws an error with a stack.
   *
   * @example
   * ```ts
   * const next = dyff.Evaluation.step(record, { type: "admit", at: "2026-01-01T00:00:05Z" });
   * if (next instanceof TransitionError || next instanceof DecodeError) console.error(next.message);
   * ```
   */
  step(
    record: StatusRecord<S, R>,
    event: EventUnion<E, M>,
  ): StatusRecord<S, R> | TransitionError | DecodeError {
    const time = event.at ?? null;
    if (time !== null && time !== this.checkedAt) {
      if (!isRfc3339(time)) return this.badTime(time, "event");
      this.checkedAt = time;
    }
    const to = this.cells[this.lookup(record.status, record.reason, event.type, event.reason)]!;
    const message = event.message ?? null;
    if (to >= 0) {
      const leaf = this.leaves[to]!;
      return { status: leaf.status, reason: leaf.reason, message, lastTransitionTime: time };
    }
    const self = -2 - to;
    if (to === REJECT || self >= this.leaves.length) return this.refused(to, record, event, time);
    // An event that keeps the record in its leaf: a change only when the message changes.
    if (message === record.message) return record;
    const leaf = this.leaves[self]!;
    return { status: leaf.status, reason: leaf.reason, message, lastTransitionTime: time };
  }

  /**
   * {@link Lifecycle.step} for a cell that rejects the event or holds an event the kind does not know
   * (their shared errors), or whose record is no leaf of the kind (the table says why).
   */
  private refused(to: number, record: StatusRecord<S, R>, event: EventUnion<E, M>, time: string | null) {
    if (to === REJECT) return this.stepByTable(record, event, time);
    const code = -2 - to - this.leaves.length;
    return code < this.table.length
      ? this.rejections.cell(code)
      : this.rejections.unknownEvent(code - this.table.length, event);
  }

  /**
   * {@link Lifecycle.step} by the table's maps, for a record or an event that is not the kind's (with its
   * error).
   */
  private stepByTable(
    record: StatusRecord<S, R>,
    event: EventUnion<E, M>,
    time: string | null,
  ): StatusRecord<S, R> | TransitionError {
    const from = this.leafOf(record.status, record.reason);
    const ei = this.eventOf(event.type, event.reason);
    if (from === undefined)
      return this.rejections.make(
        record,
        event,
        "the record's status and reason are not a state of this kind",
      );
    if (ei === undefined) return this.rejections.unknownEvent(from, event);
    const at = from * this.events.length + ei;
    const to = this.table[at]!;
    if (to === REJECT) return this.rejections.cell(at);
    const leaf = this.leaves[to]!;
    const message = event.message ?? null;
    if (to === from && message === record.message) return record;
    return { status: leaf.status, reason: leaf.reason, message, lastTransitionTime: time };
  }

  /** {@link Lifecycle.step}, throwing the {@link TransitionError} or {@link DecodeError}. */
  stepOrThrow(record: StatusRecord<S, R>, event: EventUnion<E, M>): StatusRecord<S, R> {
    const next = this.step(record, event);
    if (next instanceof DecodeError) {
      Error.captureStackTrace?.(next, this.stepOrThrow);
      throw next;
    }
    if (next instanceof TransitionError) {
      const thrown = unshared(next);
      Error.captureStackTrace?.(thrown, this.stepOrThrow);
      throw thrown;
    }
    return next;
  }

  /**
   * Moves a record to a target status and reason by the event that leads there, as Dyff's status
   * messages (`{"status": "Admitted", "reason": "Unverified"}`) ask. The current leaf is a no-op, so a
   * duplicate message changes nothing. `patch.at` is handled as {@link Lifecycle.step} handles `at`.
   *
   * @example
   * ```ts
   * dyff.Evaluation.moveTo(created, { status: "Admitted", at: "2026-01-01T00:00:05Z" });
   * ```
   */
  moveTo(
    record: StatusRecord<S, R>,
    patch: StatusPatch<S, R>,
  ): StatusRecord<S, R> | TransitionError | DecodeError {
    const time = patch.at ?? null;
    if (time !== null && time !== this.checkedAt) {
      if (!isRfc3339(time)) return this.badTime(time, "status patch");
      this.checkedAt = time;
    }
    const reason = patch.reason ?? null;
    const from = this.leafOf(record.status, record.reason);
    const to = this.leafOf(patch.status, reason);
    if (from === undefined)
      return this.rejections.make(
        record,
        moveEvent(patch.status, reason),
        "the record's status and reason are not a state of this kind",
      );
    if (to === undefined)
      return this.rejections.make(
        record,
        moveEvent(patch.status, reason),
        `${patch.status}/${reason} is not a state of this kind`,
      );
    if (from === to) {
      const message = patch.message ?? record.message;
      return message === record.message ? record : { ...record, message, lastTransitionTime: time };
    }
    const at = from * this.leaves.length + to;
    if (this.byTarget[at] === REJECT) return this.rejections.move(from, to);
    // Some event leads from `from` to `to`, so stepping it would give this record; build it directly.
    const leaf = this.leaves[to]!;
    return {
      status: leaf.status as S,
      reason: leaf.reason as R | null,
      message: patch.message ?? null,
      lastTransitionTime: time,
    };
  }

  /**
   * Folds events over a record, stopping at the first rejected one (a {@link TransitionError}, or a
   * {@link DecodeError} for a malformed `at`), whose `index` says which. `replay(events)` from the
   * initial record equals stepping each event in turn.
   */
  replay(
    events: Iterable<EventUnion<E, M>>,
    from: StatusRecord<S, R> = this.initial(),
  ): StatusRecord<S, R> | ((TransitionError | DecodeError) & { readonly index: number }) {
    let record = from;
    let index = 0;
    for (const event of events) {
      const next = this.step(record, event);
      if (next instanceof DecodeError) return Object.assign(next, { index });
      if (next instanceof TransitionError) return Object.assign(unshared(next), { index });
      record = next;
      index++;
    }
    return record;
  }

  /** The events accepted in a leaf, in table order. */
  allowed(status: S, reason: R | null): EventDescriptorUnion<E, M>[] {
    const from = this.leafOf(status, reason);
    return from === undefined ? [] : [...this.allowedIn[from]!];
  }

  /** The spec of a status (throws for a status the kind does not have: a programming error). */
  status(status: S): StatusSpec<R> {
    const st = this.spec.statuses[status];
    if (!st) throw new Error(`${this.system}/${this.kind} has no status ${status}`);
    return st;
  }

  isTerminal(status: S): boolean {
    return this.status(status).terminal;
  }

  outcome(status: S): Outcome {
    return this.status(status).outcome;
  }

  /** Decodes untrusted JSON into a record of this kind, or a DecodeError naming each bad field. */
  decodeRecord(input: unknown): StatusRecord<S, R> | DecodeError {
    return decode(this.schemas.record, input, `${this.system}/${this.kind} status record`);
  }

  private badTime(value: string, what: string): DecodeError {
    return withoutStack(() => new DecodeError(`${this.system}/${this.kind} ${what}`, [badTime(value)]));
  }
}
