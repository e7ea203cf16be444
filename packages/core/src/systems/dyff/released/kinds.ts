import { Lifecycle } from "../../../lifecycle/lifecycle.js";
import type { LifecycleSpec, StatusSpec } from "../../../lifecycle/spec.js";
import { dyffEvents } from "../family.js";
import { dyff } from "../index.js";
import { applyReleased, computational, merge, namedDependency, uncomputed } from "./build.js";
import { DYFF_SCHEMA, releasedEvents } from "./vocabulary.js";

/**
 * The kinds of the released vocabulary: each seed kind with what dyff-schema 0.46.17 adds, and the
 * kinds with a lifecycle of their own that only the package has (Team, Account, Submission).
 */

const seed = (k: keyof typeof dyff) => dyff[k].spec as LifecycleSpec;

const evaluation = applyReleased(
  seed("Evaluation"),
  merge(computational(seed("Evaluation")), {
    reasons: { Admitted: ["Restarted", "Incomplete"] },
    transitions: [
      {
        event: "restart",
        from: [
          ["Admitted", null],
          ["Admitted", "Unverified"],
          ["Admitted", "Incomplete"],
        ],
        to: "Admitted",
        reason: "Restarted",
      },
      { event: "verify", from: [["Admitted", "Restarted"]], to: "Admitted", reason: "Unverified" },
      { event: "incomplete", from: [["Admitted", "Unverified"]], to: "Admitted", reason: "Incomplete" },
      { event: "fail", from: [["Admitted", "Restarted"]], to: "Failed", reasons: ["InferenceFailed"] },
      { event: "fail", from: [["Admitted", "Incomplete"]], to: "Failed", reasons: ["VerificationFailed"] },
    ],
  }),
);

const admitted: StatusSpec = {
  terminal: false,
  outcome: null,
  reasons: [],
  reasonRequired: false,
  description: "Computation has begun (a Dataset: its data is ingested from its DataSource).",
  phase: "Running",
  phaseRationale: "The workflow's Kubernetes resource exists and computes (a Dataset: its ingest).",
};

/** Dataset: the package gives it Admitted (an ingest from a DataSource) beside the seed's upload. */
const dataset = applyReleased(
  seed("Dataset"),
  merge(
    {
      statuses: { Admitted: admitted },
      reasons: { Error: ["IngestFailed"], Terminated: ["KubernetesResourceDeleted"] },
      seedValues: ["KubernetesResourceDeleted"],
      transitions: [
        { event: "admit", from: ["Created"], to: "Admitted", reason: null },
        { event: "succeed", from: ["Admitted"], to: "Ready", reason: null },
        { event: "fail", from: ["Admitted"], to: "Error", reasons: ["FailedDependency", "IngestFailed"] },
        {
          event: "terminate",
          from: ["Admitted"],
          to: "Terminated",
          reasons: ["TerminateCommand", "KubernetesResourceDeleted"],
        },
        { event: "delete", from: ["Admitted"], to: "Deleted", reason: "DeleteCommand" },
      ],
    },
    computational(seed("Dataset")),
    namedDependency(seed("Dataset"), "WaitingForDataSource", "DataSourceMissing"),
  ),
);

const inferenceService = applyReleased(
  seed("InferenceService"),
  merge(
    computational(seed("InferenceService")),
    namedDependency(seed("InferenceService"), "WaitingForModel", "NoSuchModel"),
  ),
);

const report = applyReleased(
  seed("Report"),
  merge(
    computational(seed("Report")),
    namedDependency(seed("Report"), "WaitingForEvaluation", "NoSuchEvaluation"),
  ),
);

/** InferenceSession: no Ready in the package; it serves while Admitted, until terminated or expired. */
const inferenceSession = applyReleased(
  seed("InferenceSession"),
  merge(computational(seed("InferenceSession"), "SessionExpired"), { drop: ["Ready"] }),
);

const dataSource = applyReleased(
  seed("DataSource"),
  merge(computational(seed("DataSource")), {
    reasons: { Error: ["UploadFailed"] },
    transitions: [{ event: "fail", from: ["Admitted"], to: "Error", reasons: ["UploadFailed"] }],
  }),
);

const same = (k: "Audit" | "Measurement" | "SafetyCase" | "Model") =>
  applyReleased(seed(k), computational(seed(k)));
const plain = (k: "Module" | "Method") => applyReleased(seed(k), uncomputed);

const deleted: StatusSpec = {
  terminal: true,
  outcome: "deleted",
  reasons: ["DeleteCommand"],
  reasonRequired: true,
  description: "Deleted: kept for its references, never used by new workflows.",
  phase: "Deleted",
  phaseRationale: "Terminal with outcome deleted; the object is kept.",
};
const events = <E extends keyof typeof releasedEvents>(...names: E[]) =>
  Object.fromEntries(names.map((n) => [n, releasedEvents[n] as string])) as Record<E, string>;

/** Team: `TeamStatus` of the package; a challenge administrator approves or denies its entry. */
const team: LifecycleSpec = {
  system: "dyff",
  kind: "Team",
  family: "challenge",
  source: DYFF_SCHEMA,
  initial: { status: "WaitingForApproval", reason: null },
  statuses: {
    WaitingForApproval: {
      terminal: false,
      outcome: null,
      reasons: [],
      reasonRequired: false,
      description: "A new Team waits for a challenge administrator to approve or deny its entry.",
      phase: "Pending",
      phaseRationale: "Known, and waiting for an administrator's decision; it takes no part yet.",
    },
    Active: {
      terminal: false,
      outcome: null,
      reasons: [],
      reasonRequired: false,
      description: "Approved: only Active teams may submit to the challenge.",
      phase: "Running",
      phaseRationale: "The team takes part in the challenge: it may submit.",
    },
    EntryDenied: {
      terminal: false,
      outcome: null,
      reasons: [],
      reasonRequired: false,
      description: "Denied entry to the challenge.",
      phase: "Pending",
      phaseRationale:
        "Not terminal (is_status_terminal): it takes no part unless an administrator approves it later, as before a decision.",
    },
    Deleted: deleted,
  },
  transitions: [
    { event: "approve", from: ["WaitingForApproval", "EntryDenied"], to: "Active", reason: null },
    { event: "deny", from: ["WaitingForApproval", "Active"], to: "EntryDenied", reason: null },
    {
      event: "delete",
      from: ["WaitingForApproval", "Active", "EntryDenied"],
      to: "Deleted",
      reason: "DeleteCommand",
    },
  ],
  events: { ...events("approve", "deny"), delete: dyffEvents.delete },
  notes: [
    "Active and EntryDenied are not terminal (the package's is_status_terminal lists neither), and dyff-client's approve_team and deny_team state no precondition: an administrator may change the decision either way.",
  ],
};

/** Account: `AccountStatus` and `AccountStatusReason` of the package; not a DyffEntity, never Deleted. */
const account: LifecycleSpec = {
  system: "dyff",
  kind: "Account",
  family: "account",
  source: DYFF_SCHEMA,
  initial: { status: "Active", reason: null },
  statuses: {
    Active: {
      terminal: false,
      outcome: null,
      reasons: ["ReactivateCommand"],
      reasonRequired: false,
      description: "The account may act (the default of accounts that predate the status field).",
      phase: "Running",
      phaseRationale: "The account is in use: it may act.",
    },
    Suspended: {
      terminal: false,
      outcome: null,
      reasons: ["SuspendCommand"],
      reasonRequired: true,
      description: "Suspended by an administrator.",
      phase: "Degraded",
      phaseRationale: "Not over, not usable: an administrator may reactivate it.",
    },
  },
  transitions: [
    { event: "suspend", from: ["Active"], to: "Suspended", reason: "SuspendCommand" },
    { event: "reactivate", from: ["Suspended"], to: "Active", reason: "ReactivateCommand" },
  ],
  events: events("suspend", "reactivate"),
};

/** Submission: the package's shared statuses Approved (success) and Denied (failure). */
const submission: LifecycleSpec = {
  system: "dyff",
  kind: "Submission",
  family: "challenge",
  source: DYFF_SCHEMA,
  initial: { status: "Created", reason: null },
  statuses: {
    Created: {
      terminal: false,
      outcome: null,
      reasons: [],
      reasonRequired: false,
      description: "A team asks that its entry be assessed.",
      phase: "Pending",
      phaseRationale: "Known, waiting for an administrator's decision.",
    },
    Approved: {
      terminal: true,
      outcome: "success",
      reasons: [],
      reasonRequired: false,
      description: "Accepted as an official entry (is_status_success).",
      phase: "Succeeded",
      phaseRationale: "Terminal with outcome success.",
    },
    Denied: {
      terminal: true,
      outcome: "failure",
      reasons: [],
      reasonRequired: false,
      description: "Refused, e.g. over the challenge's submission limit (is_status_failure).",
      phase: "Failed",
      phaseRationale: "Terminal with outcome failure.",
    },
    Deleted: deleted,
  },
  transitions: [
    { event: "approve", from: ["Created"], to: "Approved", reason: null },
    { event: "deny", from: ["Created"], to: "Denied", reason: null },
    { event: "delete", from: ["Created", "Approved", "Denied"], to: "Deleted", reason: "DeleteCommand" },
  ],
  events: { ...events("approve", "deny"), delete: dyffEvents.delete },
};

/** Every kind of the released vocabulary, each a lifecycle. */
export const dyffReleased = {
  Evaluation: new Lifecycle(evaluation),
  Report: new Lifecycle(report),
  Audit: new Lifecycle(same("Audit")),
  Measurement: new Lifecycle(same("Measurement")),
  SafetyCase: new Lifecycle(same("SafetyCase")),
  Model: new Lifecycle(same("Model")),
  InferenceService: new Lifecycle(inferenceService),
  Dataset: new Lifecycle(dataset),
  DataSource: new Lifecycle(dataSource),
  Module: new Lifecycle(plain("Module")),
  Method: new Lifecycle(plain("Method")),
  InferenceSession: new Lifecycle(inferenceSession),
  Team: new Lifecycle(team),
  Account: new Lifecycle(account),
  Submission: new Lifecycle(submission),
} as const;
