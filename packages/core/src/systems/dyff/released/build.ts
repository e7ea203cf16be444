import type { From, LifecycleSpec, StatusSpec, TransitionSpec } from "../../../lifecycle/spec.js";
import { dyffEvents } from "../family.js";
import { DYFF_SCHEMA, releasedEvents, SEED } from "./vocabulary.js";

/**
 * How a released kind differs from its seed spec. Everything added is marked with its source:
 * {@link DYFF_SCHEMA} unless it is named in `seedValues`.
 */
export interface ReleasedChanges {
  /** Statuses the package adds to this kind. */
  readonly statuses?: { readonly [status: string]: StatusSpec };
  /** Reasons the package adds to a status the kind already has. */
  readonly reasons?: { readonly [status: string]: readonly string[] };
  /** Statuses the package's set for this kind does not have (their transitions go with them). */
  readonly drop?: readonly string[];
  readonly transitions?: readonly TransitionSpec[];
  /** Added values that come from the seed's vocabulary after all (they keep the source "seed"). */
  readonly seedValues?: readonly string[];
  readonly notes?: readonly string[];
}

const allEvents: Readonly<Record<string, string>> = { ...dyffEvents, ...releasedEvents };

const outcomeStatus = (spec: LifecycleSpec, outcome: StatusSpec["outcome"]) =>
  Object.entries(spec.statuses).find(([, st]) => st.outcome === outcome)?.[0];

const statusOf = (f: From<string, string>) => (typeof f === "string" ? f : f[0]);

/** Applies `changes` to a spec; the result is validated when a Lifecycle is built from it. */
export function applyReleased(seed: LifecycleSpec, changes: ReleasedChanges): LifecycleSpec {
  const drop = new Set(changes.drop ?? []);
  const statuses: Record<string, StatusSpec> = {};
  const sourceStatuses: Record<string, string> = { ...seed.sources?.statuses };
  const sourceReasons: Record<string, string> = { ...seed.sources?.reasons };
  const seedValues = new Set(changes.seedValues ?? []);
  const mark = (into: Record<string, string>, name: string) => {
    if (!seedValues.has(name) && !(name in into)) into[name] = DYFF_SCHEMA;
  };
  for (const [name, st] of Object.entries(seed.statuses)) {
    if (drop.has(name)) continue;
    const more = (changes.reasons?.[name] ?? []).filter((r) => !st.reasons.includes(r));
    for (const r of more) mark(sourceReasons, r);
    statuses[name] = more.length === 0 ? st : { ...st, reasons: [...st.reasons, ...more] };
  }
  for (const [name, st] of Object.entries(changes.statuses ?? {})) {
    statuses[name] = st;
    mark(sourceStatuses, name);
    for (const r of st.reasons)
      if (!Object.values(seed.statuses).some((s) => s.reasons.includes(r))) mark(sourceReasons, r);
  }
  // Created, Schedulable, Admitted first: the order a workflow passes them in.
  const first = ["Created", "Schedulable", "Admitted"].filter((s) => s in statuses);
  const ordered = Object.fromEntries(
    [...first, ...Object.keys(statuses).filter((s) => !first.includes(s))].map((s) => [s, statuses[s]!]),
  );
  const keep = (t: TransitionSpec): TransitionSpec | null => {
    if (drop.has(t.to)) return null;
    const from = t.from.filter((f) => !drop.has(statusOf(f)));
    return from.length === 0 ? null : { ...t, from };
  };
  const transitions = [...seed.transitions, ...(changes.transitions ?? [])]
    .map(keep)
    .filter((t): t is TransitionSpec => t !== null);
  const events: Record<string, string> = {};
  for (const t of transitions)
    events[t.event] = (seed.events as Record<string, string>)[t.event] ?? allEvents[t.event] ?? t.event;
  const notes = [...(seed.notes ?? []), ...(changes.notes ?? [])];
  return {
    ...seed,
    statuses: ordered,
    transitions,
    events,
    source: seed.source ?? SEED,
    sources: { statuses: sourceStatuses, reasons: sourceReasons },
    ...(notes.length > 0 ? { notes } : {}),
  };
}

/**
 * What every computational kind gains (kinds that pass through Admitted): the shared status
 * Schedulable between Created and Admitted, and the shared reasons Interrupted and Expired of
 * Terminated. `expired` is the reason a time limit writes (InferenceSession: SessionExpired).
 */
export function computational(seed: LifecycleSpec, expired = "Expired"): ReleasedChanges {
  const failure = outcomeStatus(seed, "failure")!;
  return {
    statuses: {
      Schedulable: {
        terminal: false,
        outcome: null,
        reasons: [],
        reasonRequired: false,
        description:
          "Dependencies satisfied: eligible, waiting for the orchestrator to admit it (create its Kubernetes resource).",
        phase: "Queued",
        phaseRationale:
          "Eligible and waiting its turn to be admitted: in a queue, not yet placed or running.",
      },
    },
    reasons: { Terminated: ["Interrupted", expired] },
    transitions: [
      { event: "schedule", from: ["Created"], to: "Schedulable", reason: null },
      { event: "admit", from: ["Schedulable"], to: "Admitted", reason: null },
      {
        event: "fail",
        from: ["Schedulable"],
        to: failure,
        reasons: ["SchemaError", "AdmissionFailed", "FailedDependency"],
      },
      { event: "terminate", from: ["Schedulable"], to: "Terminated", reasons: ["TerminateCommand"] },
      { event: "interrupt", from: ["Admitted"], to: "Terminated", reason: "Interrupted" },
      { event: "expire", from: ["Created", "Schedulable", "Admitted"], to: "Terminated", reason: expired },
      { event: "delete", from: ["Schedulable"], to: "Deleted", reason: "DeleteCommand" },
    ],
  };
}

/** A kind without computation gains only Terminated/Expired, from Created. */
export const uncomputed: ReleasedChanges = {
  reasons: { Terminated: ["Expired"] },
  transitions: [{ event: "expire", from: ["Created"], to: "Terminated", reason: "Expired" }],
};

/**
 * A kind that waits for one named dependency and fails when it does not exist (Dataset: its
 * DataSource; InferenceService: its Model; Report: its Evaluation).
 */
export function namedDependency(seed: LifecycleSpec, waiting: string, missing: string): ReleasedChanges {
  const failure = outcomeStatus(seed, "failure")!;
  return {
    reasons: { Created: [waiting], [failure]: [missing] },
    transitions: [
      { event: "wait", from: [["Created", null]], to: "Created", reasons: [waiting] },
      { event: "wait", from: [["Created", waiting]], to: "Created", reasons: ["QuotaLimit"] },
      { event: "fail", from: ["Created"], to: failure, reasons: [missing] },
    ],
  };
}

/** Merges changes in order (later reasons and transitions after earlier ones). */
export function merge(...parts: readonly ReleasedChanges[]): ReleasedChanges {
  const reasons: Record<string, string[]> = {};
  for (const p of parts)
    for (const [s, rs] of Object.entries(p.reasons ?? {})) reasons[s] = [...(reasons[s] ?? []), ...rs];
  return {
    statuses: Object.assign({}, ...parts.map((p) => p.statuses ?? {})),
    reasons,
    drop: parts.flatMap((p) => p.drop ?? []),
    transitions: parts.flatMap((p) => p.transitions ?? []),
    seedValues: parts.flatMap((p) => p.seedValues ?? []),
    notes: parts.flatMap((p) => p.notes ?? []),
  };
}
