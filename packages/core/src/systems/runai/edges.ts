import { Lifecycle } from "../../lifecycle/lifecycle.js";
import type { LifecycleSpec, TransitionSpec } from "../../lifecycle/spec.js";
import {
  type RunaiEvent,
  type RunaiJobType,
  type RunaiPendingReason,
  type RunaiStatus,
  runaiEvents,
  runaiKindOf,
  runaiPendingReasons,
  runaiStatusSpecs,
} from "./statuses.js";
import { steps } from "./steps.generated.js";

/** One edge of a Run:ai machine as the machine files write it: an event, where from, where to. */
export type RunaiEdge<S extends RunaiStatus, E extends RunaiEvent = RunaiEvent> = readonly [
  event: E,
  from: readonly S[],
  to: S,
];

/** The events that lead into Pending, so carry Pending's reasons, in any Run:ai kind (a test checks it). */
export type RunaiPendingEvent = "wait" | "retry" | "requeue" | "replace";

/** The events of a kind: its edges', and the ones every kind has (`timeOut`: interactive only). */
export type RunaiKindEvent<T extends RunaiJobType, E extends RunaiEvent> =
  | E
  | "delete"
  | "finishUnobserved"
  | (T extends "interactive" ? "timeOut" : never);

/** The reasons each event of a Run:ai kind carries: Pending's two for an event into Pending, else none. */
export type RunaiEventReasons<E extends RunaiEvent> = {
  readonly [K in E]: K extends RunaiPendingEvent ? RunaiPendingReason : never;
};

type Transition<S extends RunaiStatus> = TransitionSpec<S, RunaiPendingReason, RunaiEvent>;

/**
 * Expands edges into kernel transitions. An edge into Pending is two transitions: one to Pending with
 * no reason, one carrying the event's reason (NotEnoughResources, WaitingInQueue), because a pod
 * that goes back to the queue may be observed with or without the scheduler's explanation.
 */
function transitions<S extends RunaiStatus>(edges: readonly RunaiEdge<S>[]): Transition<S>[] {
  return edges.flatMap(([event, from, to]): Transition<S>[] =>
    to === "Pending"
      ? [
          { event, from, to, reason: null },
          { event, from, to, reasons: runaiPendingReasons },
        ]
      : [{ event, from, to, reason: null }],
  );
}

/** Assembles the spec of one Run:ai kind from its statuses and edges (their events inferred). */
export function runaiSpec<S extends RunaiStatus, T extends RunaiJobType, E extends RunaiEvent>(
  type: T,
  statuses: readonly S[],
  edges: readonly RunaiEdge<S, E>[],
  notes: readonly string[],
): LifecycleSpec<S, RunaiPendingReason, RunaiKindEvent<T, E>> {
  const specs = runaiStatusSpecs(type, statuses);
  const nonTerminal = statuses.filter((s) => !specs[s].terminal);
  const all: RunaiEdge<S>[] = [
    ...edges,
    ["delete", nonTerminal, "Deleted" as S],
    ["finishUnobserved", nonTerminal, "Unknown" as S],
  ];
  if (type === "interactive") all.push(["timeOut", nonTerminal, "TimedOut" as S]);
  const used = new Set(all.map(([e]) => e));
  const events = Object.fromEntries(
    (Object.keys(runaiEvents) as RunaiEvent[]).filter((e) => used.has(e)).map((e) => [e, runaiEvents[e]]),
  );
  return {
    system: "runai",
    kind: runaiKindOf[type],
    family: type,
    initial: { status: "Pending" as S, reason: null },
    statuses: specs,
    transitions: transitions(all),
    events,
    notes,
  } as LifecycleSpec<S, RunaiPendingReason> as LifecycleSpec<S, RunaiPendingReason, RunaiKindEvent<T, E>>;
}

/**
 * The lifecycle of one Run:ai kind, typed by its statuses, its events (those of its edges) and the
 * reasons each event carries.
 *
 * @example
 * ```ts
 * export const trainingJobLifecycle = runaiLifecycle("training", trainingJobStatuses, trainingJobEdges, notes);
 * ```
 */
export const runaiLifecycle = <S extends RunaiStatus, T extends RunaiJobType, E extends RunaiEvent>(
  type: T,
  statuses: readonly S[],
  edges: readonly RunaiEdge<S, E>[],
  notes: readonly string[],
) =>
  new Lifecycle<S, RunaiPendingReason, RunaiKindEvent<T, E>, RunaiEventReasons<RunaiKindEvent<T, E>>>(
    runaiSpec(type, statuses, edges, notes),
    steps[runaiKindOf[type]],
  );
