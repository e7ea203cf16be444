import { Lifecycle } from "../../../lifecycle/lifecycle.js";
import type { LifecycleSpec, StatusSpec } from "../../../lifecycle/spec.js";
import { dyff } from "../index.js";
import { steps } from "../steps.generated.js";
import { accountLifecycle } from "./account.js";
import { applyReleased, computational, merge, namedDependency, uncomputed } from "./build.js";
import { submissionLifecycle } from "./submission.js";
import { teamLifecycle } from "./team.js";

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

/** Every kind of the released vocabulary, each a lifecycle. */
export const dyffReleased = {
  Evaluation: new Lifecycle(evaluation, steps.Evaluation),
  Report: new Lifecycle(report, steps.Report),
  Audit: new Lifecycle(same("Audit"), steps.Audit),
  Measurement: new Lifecycle(same("Measurement"), steps.Measurement),
  SafetyCase: new Lifecycle(same("SafetyCase"), steps.SafetyCase),
  Model: new Lifecycle(same("Model"), steps.Model),
  InferenceService: new Lifecycle(inferenceService, steps.InferenceService),
  Dataset: new Lifecycle(dataset, steps.Dataset),
  DataSource: new Lifecycle(dataSource, steps.DataSource),
  Module: new Lifecycle(plain("Module"), steps.Module),
  Method: new Lifecycle(plain("Method"), steps.Method),
  InferenceSession: new Lifecycle(inferenceSession, steps.InferenceSession),
  Team: teamLifecycle,
  Account: accountLifecycle,
  Submission: submissionLifecycle,
} as const;
