import type { Condition } from "../ports/Cluster.js";
import { genericWorkFailure } from "../systems/dyff/index.js";
import type { StepKind, StepRole } from "./steps.js";

/**
 * What each workflow kind runs on the cluster (walkthrough step 9), and how its progress is written
 * as conditions on the workflow object. A plan is a list of stages; a stage is done when all its jobs
 * are Complete (or, for a stage of servers only, when they are all Available), and failed when any
 * of its steps failed. The operator derives the current stage from the steps it observes; it stores
 * nothing.
 *
 * @module
 */

export interface StepTemplate {
  readonly role: StepRole;
  readonly kind: StepKind;
  /** A server (session, deployment) keeps running: it reports Available, and is deleted when its stage ends. */
  readonly server?: boolean;
  /** Whether it occupies the workflow's requested resources (else none: a client or verification job). */
  readonly usesResources?: boolean;
}

export interface WorkflowStage {
  readonly steps: readonly StepTemplate[];
  /** The workflow's failure reason when a step of this stage fails (a work failure of the kind's machine). */
  readonly failureReason: string;
  /** The reason of the workflow's `Admitted` condition once this stage is done and the next one runs. */
  readonly doneReason?: string;
}

export interface WorkflowPlan {
  readonly stages: readonly WorkflowStage[];
  /** The servers of the last stage go on serving once the workflow succeeds (an InferenceSession is Ready while it serves). */
  readonly servesWhenReady?: boolean;
}

const job = (role: StepRole, usesResources = true): StepTemplate => ({ role, kind: "Job", usesResources });
const single = (role: StepRole, failureReason: string): WorkflowPlan => ({
  stages: [{ steps: [job(role)], failureReason }],
});

/**
 * The plan of every kind that computes. An Evaluation runs an InferenceSession (the server) and a
 * client Job, then a verification Job, so it passes Admitted -> Admitted/Unverified -> Complete.
 * Audit, Measurement, SafetyCase and InferenceSession, for which the seed names no reason, fail with
 * WorkflowFailed. An InferenceSession is Ready once its deployment serves, and keeps serving.
 *
 * @example
 * ```ts
 * workflowPlans.Evaluation.stages[0].steps.map((s) => s.role); // ["session", "client"]
 * ```
 */
export const workflowPlans: Readonly<Record<string, WorkflowPlan>> = {
  Evaluation: {
    stages: [
      {
        steps: [
          { role: "session", kind: "InferenceSession", server: true, usesResources: true },
          job("client", false),
        ],
        failureReason: "InferenceFailed",
        doneReason: "Unverified",
      },
      { steps: [job("verify", false)], failureReason: "VerificationFailed" },
    ],
  },
  Model: single("fetch", "FetchFailed"),
  DataSource: single("fetch", "FetchFailed"),
  InferenceService: single("build", "BuildFailed"),
  Report: single("run", "RunFailed"),
  Audit: single("run", genericWorkFailure),
  Measurement: single("run", genericWorkFailure),
  SafetyCase: single("run", genericWorkFailure),
  InferenceSession: {
    stages: [
      {
        steps: [{ role: "deployment", kind: "Deployment", server: true, usesResources: true }],
        failureReason: genericWorkFailure,
      },
    ],
    servesWhenReady: true,
  },
};

/**
 * Workflow conditions: the condition type is the Dyff status (`Admitted`, `Complete`, `Failed`,
 * `Ready`, `Error`), the reason the Dyff reason. Kubernetes requires a non-empty reason, so "no
 * reason" is written as the type itself (`{type: Admitted, reason: Admitted}`), as Dyff's operator
 * writes `{type: Complete, reason: Complete}`; {@link dyffReason} reads it back as null.
 *
 * @example
 * ```ts
 * terminalConditionTypes.includes("Complete"); // true
 * ```
 */
export const terminalConditionTypes = ["Ready", "Complete", "Failed", "Error", "Terminated"] as const;

/**
 * A workflow condition for a Dyff status and reason.
 *
 * @example
 * ```ts
 * workflowCondition("Admitted", "Unverified", at); // { type: "Admitted", status: "True", reason: "Unverified", ... }
 * ```
 */
export const workflowCondition = (
  status: string,
  reason: string | null,
  at: string,
  message = "",
): Condition => ({
  type: status,
  status: "True",
  reason: reason ?? status,
  message,
  lastTransitionTime: at,
});

/**
 * The Dyff reason a condition carries: null when its reason is empty or repeats its type.
 *
 * @example
 * ```ts
 * dyffReason(workflowCondition("Complete", null, at)); // null
 * ```
 */
export const dyffReason = (c: Condition): string | null =>
  c.reason === "" || c.reason === c.type ? null : c.reason;
