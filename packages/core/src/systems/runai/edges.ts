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

/** One edge of a Run:ai machine as the machine files write it: an event, where from, where to. */
export type RunaiEdge<S extends RunaiStatus> = readonly [event: RunaiEvent, from: readonly S[], to: S];

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

/** Assembles the spec of one Run:ai kind from its statuses and edges. */
export function runaiSpec<S extends RunaiStatus>(
  type: RunaiJobType,
  statuses: readonly S[],
  edges: readonly RunaiEdge<S>[],
  notes: readonly string[],
): LifecycleSpec<S, RunaiPendingReason, RunaiEvent> {
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
  ) as Record<RunaiEvent, string>;
  return {
    system: "runai",
    kind: runaiKindOf[type],
    family: type,
    initial: { status: "Pending" as S, reason: null },
    statuses: specs,
    transitions: transitions(all),
    events,
    notes,
  };
}
