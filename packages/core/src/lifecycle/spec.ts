/**
 * The declarative shape of a lifecycle: statuses with their reasons and table columns, and the
 * transitions between them. A machine file writes one of these; {@link defineLifecycle} turns it into
 * an xstate machine (the definition) and {@link compileLifecycle} into a flat table (what runs).
 *
 * @module
 */

/** How a status ends a lifecycle, or `null` while the work is still in progress. */
export type Outcome = "success" | "failure" | "early-termination" | "deleted" | null;

/** The outcomes, in the order the reference lists them. */
export const outcomes = [null, "success", "failure", "early-termination", "deleted"] as const;

import type { Phase } from "./phase.js";

/** A cell in an extra table column (for example Run:ai's "Resource Allocation"). */
export type ColumnValue = boolean | number | string | null;

/** One status of a kind, with the reasons it may carry. */
export interface StatusSpec<R extends string = string> {
  /** True when the status ends the lifecycle (only the transitions listed from it remain possible). */
  readonly terminal: boolean;
  readonly outcome: Outcome;
  /** The non-empty reasons allowed in this status, in the order the source lists them. */
  readonly reasons: readonly R[];
  /** When true the status never appears without a reason. */
  readonly reasonRequired: boolean;
  /** One sentence, from the source, shown in the generated reference. */
  readonly description: string;
  /**
   * The common phase of this status (see {@link Phase}): terminal exactly when the status is, and
   * then its outcome's phase. Declared here, beside the status, so the machine stays the one source.
   */
  readonly phase: Phase;
  /** Why this status is in that phase, in one sentence (shown in the reference). */
  readonly phaseRationale: string;
  /** System-specific table columns, copied into the JSON reference (e.g. `resourcesAllocated`). */
  readonly columns?: Readonly<Record<string, ColumnValue>>;
}

/** A status, or a status with one exact reason (`null` is "no reason"). */
export type From<S extends string, R extends string> = S | readonly [S, R | null];

/**
 * One transition. Either the event carries its reason (`reasons`: the target reason is the event's),
 * or the target reason is fixed (`reason`, possibly `null`), and the event may omit it or repeat it.
 */
export interface TransitionSpec<
  S extends string = string,
  R extends string = string,
  E extends string = string,
> {
  readonly event: E;
  readonly from: readonly From<S, R>[];
  readonly to: S;
  readonly reason?: R | null;
  readonly reasons?: readonly R[];
}

type TransitionReasonsOf<T> = T extends { readonly reasons: readonly (infer X extends string)[] }
  ? X
  : T extends { readonly reason: infer X }
    ? Exclude<X, null | undefined>
    : never;

/**
 * The reasons each event carries, read off transitions declared `as const`: an event's reasons are
 * its transitions' `reasons`, or their fixed non-null `reason`.
 *
 * @example
 * ```ts
 * const transitions = [{ event: "fail", from: ["Running"], to: "Error", reason: "EngineFailed" }] as const;
 * type M = TransitionReasons<typeof transitions, "fail">; // { readonly fail: "EngineFailed" }
 * ```
 */
export type TransitionReasons<T extends readonly TransitionSpec[], E extends string> = {
  readonly [K in E]: TransitionReasonsOf<Extract<T[number], { readonly event: K }>>;
};

/** Everything a machine file declares about one resource kind. */
export interface LifecycleSpec<
  S extends string = string,
  R extends string = string,
  E extends string = string,
> {
  readonly system: string;
  readonly kind: string;
  /** Free-form grouping shown in the reference (Dyff: `job` or `artifact`). */
  readonly family?: string;
  readonly initial: { readonly status: S; readonly reason: R | null };
  readonly statuses: { readonly [K in S]: StatusSpec<R> };
  readonly transitions: readonly TransitionSpec<S, R, E>[];
  /** What each event means, shown in the generated reference. */
  readonly events: { readonly [K in E]: string };
  /** Notes for the reference: choices made where the source is silent, differences from it. */
  readonly notes?: readonly string[];
  /**
   * The events that take a terminal status back to a non-terminal one, each with the source's reason
   * (Ray's `resume`: "It can be resumed"). Leaving a terminal phase any other way is a bug in the
   * machine, which a property test reports.
   */
  readonly reopenedBy?: { readonly [K in E]?: string };
  /**
   * Where the kind's statuses and reasons come from: `source` for all of them, `sources` for the
   * ones that come from elsewhere (e.g. `"seed"`, or a released package and its version such as
   * `"dyff-schema 0.46.17"`). Absent: the kind does not say (the reference shows no source).
   */
  readonly source?: string;
  readonly sources?: {
    readonly statuses?: { readonly [status: string]: string };
    readonly reasons?: { readonly [reason: string]: string };
  };
}

/**
 * The source of one status or reason of a spec (see {@link LifecycleSpec.source}), or `null` when
 * the spec declares none.
 *
 * @example
 * ```ts
 * import { dyffReleased, sourceOf } from "@phasekit/core";
 * sourceOf(dyffReleased.Evaluation.spec, "reason", "Restarted"); // "dyff-schema 0.46.17"
 * ```
 */
export function sourceOf(spec: LifecycleSpec, what: "status" | "reason", name: string): string | null {
  const own = what === "status" ? spec.sources?.statuses?.[name] : spec.sources?.reasons?.[name];
  return own ?? spec.source ?? null;
}

/** The xstate child-state key that stands for "no reason". */
export const NO_REASON = "_";

/** Normalises a `From` entry to `[status, reason | undefined]` (undefined: any reason). */
export function fromEntry<S extends string, R extends string>(
  from: From<S, R>,
): readonly [S, R | null | undefined] {
  return typeof from === "string" ? [from, undefined] : from;
}

/** The reasons a status admits, with `null` first when it may carry none. */
export function leafReasons<R extends string>(status: StatusSpec<R>): readonly (R | null)[] {
  return status.reasonRequired ? status.reasons : [null, ...status.reasons];
}

/**
 * Checks a spec for mistakes a reader would not see: unknown statuses or reasons in transitions,
 * a required reason on a status without reasons, a transition whose target reason is not allowed.
 * Throws at module load, so a broken machine cannot be imported.
 */
export function validateSpec(spec: LifecycleSpec): void {
  const where = `${spec.system}/${spec.kind}`;
  const fail = (msg: string): never => {
    throw new Error(`lifecycle spec ${where}: ${msg}`);
  };
  const status = (s: string) => spec.statuses[s] ?? fail(`unknown status "${s}"`);
  const allows = (s: string, r: string | null) => leafReasons(status(s)).includes(r);
  for (const [name, st] of Object.entries(spec.statuses) as [string, StatusSpec][]) {
    if (st.reasonRequired && st.reasons.length === 0) fail(`status ${name} requires a reason but lists none`);
    if (st.terminal !== (st.outcome !== null))
      fail(`status ${name}: terminal must be true exactly when outcome is set`);
  }
  if (!allows(spec.initial.status, spec.initial.reason)) fail("initial reason not allowed in initial status");
  for (const t of spec.transitions) {
    if (!(t.event in spec.events)) fail(`transition uses undeclared event "${t.event}"`);
    if ((t.reasons === undefined) === (t.reason === undefined)) {
      fail(`transition ${t.event} -> ${t.to} must set exactly one of reason or reasons`);
    }
    for (const r of t.reasons ?? [t.reason ?? null]) {
      if (!allows(t.to, r))
        fail(`transition ${t.event} -> ${t.to} targets reason ${r} that ${t.to} does not allow`);
    }
    for (const f of t.from) {
      const [s, r] = fromEntry(f);
      if (r !== undefined && !allows(s, r))
        fail(`transition ${t.event} from ${s}/${r}: reason not allowed there`);
      else status(s);
    }
  }
}
