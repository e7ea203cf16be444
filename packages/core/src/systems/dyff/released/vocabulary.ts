/**
 * The released Dyff vocabulary: what the package `dyff-schema` 0.46.17 (PyPI,
 * `dyff/schema/v0/r1/platform.py`) declares beside the seed's "Workflow status" page. Facts only;
 * its code is not copied. `scripts/dyff-schema/extract.py` writes those facts into a fixture and
 * `fixture.test.ts` checks this module against it.
 *
 * @module
 */

/** The source of a value phasekit takes from the seed documents. */
export const SEED = "seed";
/** The package and version the released values come from. */
export const DYFF_SCHEMA = "dyff-schema 0.46.17";

/** Which vocabulary to validate against: the seed's (the default) or the released package's. */
export type DyffVocabulary = "seed" | "released";
/** The vocabularies, the default first. */
export const dyffVocabularies = ["seed", "released"] as const satisfies readonly DyffVocabulary[];

const terminal: ReadonlySet<string> = new Set([
  "Approved",
  "Complete",
  "Deleted",
  "Denied",
  "Error",
  "Failed",
  "Ready",
  "Terminated",
]);
const success: ReadonlySet<string> = new Set(["Complete", "Ready", "Approved"]);
const failure: ReadonlySet<string> = new Set(["Error", "Failed", "Denied"]);

/**
 * The package's `is_status_terminal`: whether a status ends a workflow. Terminated and Deleted are
 * terminal but neither success nor failure. Statuses of its own of a kind (Team's, Account's) are
 * not terminal here, whatever their meaning.
 *
 * @example
 * ```ts
 * import { isStatusTerminal } from "@phasekit/core";
 * isStatusTerminal("Approved"); // true
 * isStatusTerminal("Schedulable"); // false
 * ```
 */
export const isStatusTerminal = (status: string): boolean => terminal.has(status);

/**
 * The package's `is_status_success`: Complete, Ready or Approved.
 *
 * @example
 * ```ts
 * import { isStatusSuccess } from "@phasekit/core";
 * isStatusSuccess("Ready"); // true
 * ```
 */
export const isStatusSuccess = (status: string): boolean => success.has(status);

/**
 * The package's `is_status_failure`: Error, Failed or Denied (not Terminated, not Deleted).
 *
 * @example
 * ```ts
 * import { isStatusFailure } from "@phasekit/core";
 * isStatusFailure("Terminated"); // false
 * ```
 */
export const isStatusFailure = (status: string): boolean => failure.has(status);

/** What the released-only events mean, for the reference. */
export const releasedEvents = {
  schedule:
    "The orchestrator found the workflow's dependencies satisfied and its quota free: it is Schedulable, waiting for its Kubernetes resource.",
  restart: "The inference step runs again (after an interruption, or for the outputs found missing).",
  incomplete:
    "Verification found outputs missing; the evaluation is not over: it restarts inference for them.",
  interrupt:
    "Dyff stopped the running work itself (its pods were interrupted), not a user: Terminated/Interrupted.",
  expire: "A time limit passed before the work ended: Dyff ends it (Terminated/Expired, or SessionExpired).",
  approve: "An administrator accepts: a Submission is Approved, a Team Active.",
  deny: "An administrator refuses: a Submission is Denied, a Team EntryDenied.",
  suspend: "An administrator suspends the Account (SuspendCommand).",
  reactivate: "An administrator reactivates a suspended Account (ReactivateCommand).",
} as const;
