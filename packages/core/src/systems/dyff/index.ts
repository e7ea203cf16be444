import type { SystemDefinition } from "../../catalog/system.js";
import { audit } from "./audit.js";
import { dataSource } from "./data-source.js";
import { dataset } from "./dataset.js";
import type { DyffKind } from "./entity.js";
import { evaluation } from "./evaluation.js";
import { inferenceService } from "./inference-service.js";
import { inferenceSession } from "./inference-session.js";
import { measurement } from "./measurement.js";
import { method } from "./method.js";
import { model } from "./model.js";
import { module } from "./module.js";
import { report } from "./report.js";
import { safetyCase } from "./safety-case.js";

export {
  type DyffEntity,
  type DyffKind,
  dyffKind,
  entityDocument,
  entityId,
  labels,
  resources,
} from "./entity.js";
export {
  commonFailureReasons,
  createdReasons,
  type DyffEventReasons,
  type DyffEventType,
  type DyffFamily,
  type DyffKindOptions,
  type DyffLifecycle,
  type DyffReason,
  type DyffStatus,
  dyffEvents,
  dyffSpec,
  failureStatus,
  genericWorkFailure,
  successStatus,
  terminatedReasons,
} from "./family.js";
export {
  type DyffVersionFamily,
  editMembers,
  type FamilyMember,
  type FamilyMemberKind,
  familyMemberKinds,
  type MembersEdit,
  resolveTag,
  TAG_NAME,
  tagForNewWork,
} from "./family-tags.js";
export {
  applyMergePatch,
  type Json,
  jsonEqual,
  mergePatchBetween,
  withoutNullMembers,
} from "./merge-patch.js";
export {
  type DyffHistory,
  type DyffRevision,
  mayRestore,
  type RevisionRef,
  reconstruct,
  recordRevision,
  revisableKinds,
} from "./revision.js";

/** Every Dyff kind by name: its lifecycle, spec schema, entity schema and dependency rule. */
export const dyffKinds = {
  Evaluation: evaluation,
  Report: report,
  Audit: audit,
  Measurement: measurement,
  SafetyCase: safetyCase,
  Model: model,
  InferenceService: inferenceService,
  Dataset: dataset,
  DataSource: dataSource,
  Module: module,
  Method: method,
  InferenceSession: inferenceSession,
} as const;

/** Any Dyff kind, its spec type erased (for code that handles every kind alike). */
// biome-ignore lint/suspicious/noExplicitAny: erasing the spec type is the point of this alias.
export type AnyDyffKind = DyffKind<any>;

export type DyffKindName = keyof typeof dyffKinds;

/** Dyff, as the catalog lists it. */
export const dyffSystem: SystemDefinition = {
  name: "dyff",
  title: "Dyff",
  description:
    'Dyff (UL DSRI\'s AI audit platform) runs workflows for Evaluations, Reports, Models and more. Every resource has a `.status` and a `.reason`; this reference is generated from phasekit\'s machines, which encode Dyff\'s documentation: the page "Workflow status" (https://docs.dyff.io/workflow-status) and the data model of "Design" (https://docs.dyff.io/design).',
  lifecycles: Object.values(dyffKinds).map((k) => k.lifecycle),
  choices: [
    "Computational kinds (Evaluation, Report, Audit, Measurement, SafetyCase, Model, InferenceService, DataSource, InferenceSession) pass through Admitted. Dataset, Module and Method run no computation: they go Created -> Ready directly and never enter Admitted.",
    "SchemaError and AdmissionFailed happen while admitting, so they are reached from Created only; the work's own failures (InferenceFailed, BuildFailed, FetchFailed, RunFailed, VerificationFailed, WorkflowFailed) from Admitted only; FailedDependency from Created and Admitted. The orchestrator writes AdmissionFailed when the cluster refuses (Forbidden) to create the workflow's Kubernetes resource, as the reference orchestrator does when that create throws.",
    "Dyff's \"Workflow status\" page names no failure reason for the own work of Audit, Measurement, SafetyCase and InferenceSession (it lists reasons with their kinds, and SchemaError, FailedDependency and AdmissionFailed, which apply to all, describe other failures). Dyff's informer passes the operator's condition reason through unchanged, so the real platform does write some reason there; phasekit names it WorkflowFailed, for these four kinds only, so a failed step ends the work (Failed/WorkflowFailed, or Error/WorkflowFailed for an InferenceSession) and gives its quota back, instead of leaving it Admitted until someone terminates it.",
    "An InferenceSession is Ready once its deployment serves, and its deployment keeps serving after that: the operator deletes servers when a workflow fails, not when an InferenceSession succeeds. Ready is terminal, so its quota is released then, as the reference orchestrator drops a terminal node from its graph; a Ready session stops when it is Deleted (its Kubernetes resource is deleted).",
    "An Evaluation passes Admitted -> Admitted/Unverified -> Complete: InferenceFailed is possible only in Admitted (no reason) and VerificationFailed only in Admitted/Unverified.",
    "Created reasons only move forward: none -> UnsatisfiedDependency -> QuotaLimit, or none -> QuotaLimit (dependencies are checked before quotas, and a satisfied dependency cannot become unsatisfied again: a success status changes only to Deleted, which fails its dependents).",
    "Terminated/KubernetesResourceDeleted needs a Kubernetes resource, which exists only once the workflow is Admitted; kinds without computation can be Terminated only by a TerminateCommand.",
    "Repeating the current status and reason (a duplicate status message) is a no-op, not an error: `moveTo` returns the record unchanged.",
  ],
  differences: [
    "A dependency that fails, is terminated or is deleted fails its dependents with *their own* failure status (Failed for job kinds, Error for artifact kinds) and reason FailedDependency. The reference implementation's orchestrator writes Error for every kind, which is not a status of job kinds.",
    "SchemaError: the reference orchestrator writes status Failed even for artifact kinds; phasekit writes the kind's own failure status (Error for artifacts).",
    "The released package dyff-schema 0.46.17 declares values the seed does not list (the shared statuses Schedulable, Approved and Denied, the reasons Expired and Interrupted, per-kind reasons such as Evaluation's Restarted, Dataset's Admitted, an InferenceSession without Ready) and kinds the seed does not have (Team, Account, Submission, Family, Revision...). They are in the released vocabulary, system `dyff-released` (docs/reference/dyff-released.md), each marked with its source; this one, the seed's, stays the default.",
  ],
};

/** Each Dyff kind's lifecycle by name: `dyff.Evaluation.step(record, { type: "admit" })`. */
export const dyff = Object.fromEntries(Object.entries(dyffKinds).map(([k, v]) => [k, v.lifecycle])) as {
  readonly [K in DyffKindName]: (typeof dyffKinds)[K]["lifecycle"];
};
