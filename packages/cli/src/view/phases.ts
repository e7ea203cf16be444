import type { StatusJson } from "@phasekit/core";
import type { PhaseView } from "./client/model.js";

/**
 * The common phases the page colours bars by (issue 18 part 2). Each status declares its phase in
 * its machine; the spec JSON carries it as `phase`. A status without one (a spec JSON from before
 * the phases) falls back to its outcome's terminal phase, or Unknown.
 *
 * @module
 */

const vocabulary: readonly PhaseView[] = [
  { name: "Pending", terminal: false, description: "Known to the platform, no work started yet." },
  { name: "Queued", terminal: false, description: "Waiting for capacity in a queue or behind a quota." },
  { name: "Starting", terminal: false, description: "Placed, and being prepared." },
  { name: "Running", terminal: false, description: "The work is in progress." },
  {
    name: "Degraded",
    terminal: false,
    description: "Not over, but not progressing: a failure being retried.",
  },
  { name: "Stopping", terminal: false, description: "Being stopped or evicted." },
  { name: "Unknown", terminal: false, description: "The platform cannot say what the entity is doing." },
  { name: "Succeeded", terminal: true, description: "Ended as intended." },
  { name: "Failed", terminal: true, description: "Ended in failure." },
  { name: "Stopped", terminal: true, description: "Ended early, neither success nor failure." },
  { name: "Deleted", terminal: true, description: "Deleted: kept for its references, never used again." },
];

const byOutcome: Readonly<Record<string, string>> = {
  success: "Succeeded",
  failure: "Failed",
  "early-termination": "Stopped",
  deleted: "Deleted",
};

/** The legend: every phase, non-terminal first, with what it means. */
export function phaseViews(): PhaseView[] {
  return [...vocabulary];
}

/**
 * The phase of a status of the spec JSON.
 *
 * @example
 * ```ts
 * phaseOfStatus({ name: "Complete", terminal: true, outcome: "success", ... }); // "Succeeded"
 * ```
 */
export function phaseOfStatus(st: StatusJson): string {
  if (typeof st.phase === "string") return st.phase;
  return (st.outcome !== null && byOutcome[st.outcome]) || "Unknown";
}
