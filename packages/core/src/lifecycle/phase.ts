/**
 * One phase vocabulary across systems: every status of every kind declares, in its machine file, the
 * common phase it is in and why (`StatusSpec.phase`, `StatusSpec.phaseRationale`). A page colours a
 * bar by phase, a reader compares Dyff's Admitted with Run:ai's Running and Ray's RUNNING, and the
 * vocabulary stays small enough to learn.
 *
 * Where the set comes from (docs/decisions.md, "One phase vocabulary"):
 * - Kubernetes' Pod phases `Pending, Running, Succeeded, Failed, Unknown`: the five everyone knows;
 * - Argo's node phases add that a failure the platform retries is not an end (`Error` vs `Failed`,
 *   `Completed()`), and Run:ai's newer workload statuses (`Creating, Pending, Initializing, Running,
 *   Degraded, Stopping, Stopped, Deleting, Failed, Completed`) split waiting from starting, name
 *   `Degraded` and `Stopped`;
 * - the seeds: Run:ai's Pending and Ray's `max_running_workflows` queue are waits for capacity,
 *   not "not yet looked at" (`Queued`); every seed has a user's early end, which is neither success
 *   nor failure (Dyff Terminated, Run:ai Preempted/TimedOut, Wallaroo killed, Ray CANCELED:
 *   `Stopped`); Dyff never removes an object (`Deleted`).
 *
 * The four terminal phases are exactly phasekit's four outcomes (`success` -> Succeeded, `failure` ->
 * Failed, `early-termination` -> Stopped, `deleted` -> Deleted), so a terminal status has a terminal
 * phase and a terminal phase only terminal statuses (property-checked over the catalog).
 *
 * @module
 */
import type { Outcome } from "./spec.js";

/**
 * Every common phase, the non-terminal ones first in the order an entity usually meets them, then
 * the four terminal ones.
 *
 * @example
 * ```ts
 * import { phases } from "@phasekit/core";
 * phases.includes("Queued"); // true
 * ```
 */
export const phases = [
  "Pending",
  "Queued",
  "Starting",
  "Running",
  "Degraded",
  "Stopping",
  "Unknown",
  "Succeeded",
  "Failed",
  "Stopped",
  "Deleted",
] as const;

/** A common phase: one of {@link phases}. */
export type Phase = (typeof phases)[number];

/**
 * The phases that end a lifecycle, one per {@link Outcome}. Leaving one is only possible by an
 * event the kind declares in `LifecycleSpec.reopenedBy` (Ray's resume, Wallaroo's kill of a finished
 * task), or to Deleted.
 *
 * @example
 * ```ts
 * import { terminalPhases } from "@phasekit/core";
 * terminalPhases; // ["Succeeded", "Failed", "Stopped", "Deleted"]
 * ```
 */
export const terminalPhases = ["Succeeded", "Failed", "Stopped", "Deleted"] as const;

/** A terminal phase: one of {@link terminalPhases}. */
export type TerminalPhase = (typeof terminalPhases)[number];

/**
 * Whether a phase ends a lifecycle.
 *
 * @example
 * ```ts
 * import { isTerminalPhase } from "@phasekit/core";
 * isTerminalPhase("Stopped"); // true
 * isTerminalPhase("Stopping"); // false
 * ```
 */
export const isTerminalPhase = (phase: Phase): phase is TerminalPhase =>
  (terminalPhases as readonly Phase[]).includes(phase);

/**
 * The terminal phase of each outcome: a terminal status's phase must be its outcome's (checked by a
 * property test over the catalog).
 *
 * @example
 * ```ts
 * import { phaseOfOutcome } from "@phasekit/core";
 * phaseOfOutcome["early-termination"]; // "Stopped"
 * ```
 */
export const phaseOfOutcome = {
  success: "Succeeded",
  failure: "Failed",
  "early-termination": "Stopped",
  deleted: "Deleted",
} as const satisfies Record<NonNullable<Outcome>, TerminalPhase>;

/**
 * What each phase means and where it comes from, for the reference, the legend of a page and a
 * reader choosing a phase for a new status.
 *
 * @example
 * ```ts
 * import { phaseDescriptions } from "@phasekit/core";
 * phaseDescriptions.Degraded; // "Not over, but not progressing: ..."
 * ```
 */
export const phaseDescriptions: { readonly [P in Phase]: string } = {
  Pending:
    "Known to the platform, no work started and no capacity asked for yet (Kubernetes Pod Pending before scheduling, Argo Pending, Dyff Created).",
  Queued:
    "Waiting for capacity in a queue or behind a quota: admitted once room is free (Run:ai Pending, Ray PENDING, Wallaroo resource_contention).",
  Starting:
    "Placed, and being prepared: image pull, init containers, packaging, the first replica (Run:ai Creating/Initializing, ContainerCreating).",
  Running:
    "The work is in progress (Kubernetes and Argo Running, Dyff Admitted, Ray RUNNING, Wallaroo started).",
  Degraded:
    "Not over, but not progressing: a failure the platform retries or recovers from (Run:ai Degraded, Error before a retry, CrashLoopBackOff, ErrImagePull; Argo Error of a retried node).",
  Stopping:
    "Being stopped or evicted; what follows is decided by the platform (Run:ai Stopping/Terminating, Wallaroo pending_kill).",
  Unknown:
    "The platform cannot say what the entity is doing (Kubernetes Pod Unknown, Argo's empty workflow phase). No built-in status is in it: Run:ai's Unknown is an end state, so Failed.",
  Succeeded: "Ended as intended (outcome success: Kubernetes and Argo Succeeded, Run:ai Completed).",
  Failed: "Ended in failure (outcome failure: Kubernetes and Argo Failed, Run:ai Failed).",
  Stopped:
    "Ended early by a user or the platform, neither success nor failure (outcome early-termination: Run:ai Stopped, Dyff Terminated, Ray CANCELED).",
  Deleted:
    "Deleted (outcome deleted): kept for its references where the platform keeps it, never used again.",
};

/**
 * The common phase of a status of a kind, as its machine declares it.
 *
 * @example
 * ```ts
 * import { dyff, phaseOf } from "@phasekit/core";
 * phaseOf(dyff.Evaluation, "Admitted"); // "Running"
 * phaseOf(dyff.Evaluation, "Terminated"); // "Stopped"
 * ```
 */
export function phaseOf<S extends string>(
  lifecycle: { readonly spec: { readonly statuses: { readonly [K in S]: { readonly phase: Phase } } } },
  status: S,
): Phase {
  const st = lifecycle.spec.statuses[status];
  if (!st) throw new Error(`no status ${status} in this kind`);
  return st.phase;
}
