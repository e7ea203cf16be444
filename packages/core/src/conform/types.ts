import type { Leaf } from "../lifecycle/lifecycle.js";

/**
 * One observed status of one entity, as an observer (a poller, a watch, a log) saw it. `at` is when:
 * RFC 3339 text, or a number on any one scale (seconds, milliseconds); `null` when the source has no
 * time. `where` locates it in the input (`line 12`) for messages.
 */
export interface Observation {
  readonly system: string;
  readonly kind: string;
  readonly id: string;
  readonly status: string;
  readonly reason: string | null;
  readonly at?: string | number | null | undefined;
  readonly where?: string | undefined;
  /** The input line it was read from, when `where` is not given (cheaper than building a string per record). */
  readonly line?: number | undefined;
}

/** What went wrong in one observed step. */
export type ViolationType =
  /** No path in the machine leads from the last status to this one. */
  | "no-path"
  /** The last status was terminal and this one cannot follow it (Deleted can, where the system allows it). */
  | "after-terminal"
  /** The status is known but its reason is not one the status allows. */
  | "reason-not-allowed"
  /** The kind has no such status. */
  | "unknown-status"
  /** The entity's first observation cannot be reached from the kind's initial status. */
  | "unreachable-first"
  /** This observation is older than one seen before it for the same entity. */
  | "time-backwards";

/** The violation types, in the order reports list them. */
export const violationTypes: readonly ViolationType[] = [
  "no-path",
  "after-terminal",
  "reason-not-allowed",
  "unknown-status",
  "unreachable-first",
  "time-backwards",
];

/** One violation: its type, a sentence naming the entity, from, to and time, and what the spec allows there. */
export interface Violation {
  readonly type: ViolationType;
  readonly message: string;
  /** The leaves the spec allows next from where the entity was (empty when that is not known). */
  readonly allowed: readonly Leaf[];
}

/**
 * How one observed step is judged:
 * - `legal`: one transition of the machine (or the initial status, seen first);
 * - `unseen`: legal through statuses nobody saw (`path` holds them, shortest first-found);
 * - `repeat`: the same status and reason again (a no-op);
 * - `violation`: `violations` says what broke.
 */
export type ConformStep = "legal" | "unseen" | "repeat" | "violation";

/** The verdict on one observation. */
export interface Verdict {
  readonly system: string;
  readonly kind: string;
  readonly id: string;
  /** The entity's observation number, from 0. */
  readonly index: number;
  readonly at: string | number | null;
  readonly where: string | undefined;
  readonly line: number | undefined;
  /** Where the entity was (the initial status for a first observation; null when not known). */
  readonly from: Leaf | null;
  readonly to: Leaf;
  readonly step: ConformStep;
  /** For `unseen`: the statuses passed through without being observed, then `to`. Else empty. */
  readonly path: readonly Leaf[];
  readonly violations: readonly Violation[];
}

/** One entity's summary: how many observations, of each verdict, and where it ended. */
export interface EntitySummary {
  readonly system: string;
  readonly kind: string;
  readonly id: string;
  readonly observations: number;
  readonly legal: number;
  readonly unseen: number;
  readonly repeats: number;
  readonly violations: number;
  /** The last status and reason observed. */
  readonly last: Leaf;
}

/** Totals over every entity. */
export interface ConformTotals {
  readonly entities: number;
  readonly observations: number;
  readonly legal: number;
  readonly unseen: number;
  readonly repeats: number;
  /** Observations with at least one violation. */
  readonly violations: number;
  /** Violations by type. */
  readonly byType: Readonly<Record<ViolationType, number>>;
}

/** What `conform` returns: true `ok` when nothing violated the spec. */
export interface ConformReport {
  readonly ok: boolean;
  readonly totals: ConformTotals;
  /** One per entity, in order of first observation. */
  readonly entities: readonly EntitySummary[];
  /**
   * The verdicts with a violation, in input order: a sample, the first of each entity and at most so
   * many in all (`ViolationSample`, by default 10 per entity and 1,000 in all); `totals` counts every one.
   */
  readonly violations: readonly Verdict[];
  /** Violating verdicts counted in `totals` but not kept in `violations` (0 when all are shown). */
  readonly omitted: number;
}

/**
 * How many violating verdicts a report keeps (every one is counted): the first `perEntity` of each
 * entity, and no more than `total` in all. So memory grows with the entities, never with the events,
 * however many violations a stream holds. Defaults: 10 per entity, 1,000 in all.
 */
export interface ViolationSample {
  readonly perEntity?: number;
  readonly total?: number;
}
