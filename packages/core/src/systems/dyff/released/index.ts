import type { SystemDefinition } from "../../../catalog/system.js";
import type { Lifecycle } from "../../../lifecycle/lifecycle.js";
import { dyff } from "../index.js";
import { dyffReleased } from "./kinds.js";
import { DYFF_SCHEMA, type DyffVocabulary } from "./vocabulary.js";

export { applyReleased, type ReleasedChanges } from "./build.js";
export { dyffReleased } from "./kinds.js";
export {
  DYFF_SCHEMA,
  type DyffVocabulary,
  dyffVocabularies,
  isStatusFailure,
  isStatusSuccess,
  isStatusTerminal,
  releasedEvents,
  SEED,
} from "./vocabulary.js";

/**
 * The values of the package that phasekit's released vocabulary does not model as the package has
 * them, each with why. `fixture.test.ts` accepts a package value that is not in the spec only when
 * it is listed here.
 */
export const dyffReleasedDifferences: readonly {
  readonly values: readonly string[];
  readonly text: string;
}[] = [
  {
    values: [],
    text: `InferenceSession: the package's status set (Created, Admitted, Terminated, Error) has no Ready; the released vocabulary drops it (a session serves while Admitted, as dyff-audit's local platform reports \`ready\` for an Admitted session) and keeps it in the seed vocabulary, where Ready is the seed's success status of an artifact.`,
  },
  {
    values: [],
    text: `The package's per-kind sets list neither Terminated nor Deleted, nor the reasons UnsatisfiedDependency, FailedDependency, TerminateCommand and DeleteCommand (except InferenceSession's TerminateCommand); phasekit gives them to every kind, as the package's shared EntityStatus and EntityStatusReason ("applicable to most entity types") and the seed do.`,
  },
  {
    values: [],
    text: "Reasons the package does not declare stay in the released vocabulary: InferenceFailed, VerificationFailed and RunFailed (the seed's failure reasons, which reach Dyff as the operator's condition reasons through its informer), SchemaError and AdmissionFailed (the reference orchestrator), KubernetesResourceDeleted (the reference informer) and WorkflowFailed (phasekit's, see the seed reference).",
  },
  {
    values: [],
    text: "dyff-schema deprecates the terminate command since 0.21.0 (`UpdateEntityStatus.terminate`: \"The 'Terminate' status will be removed in a future version\"); 0.46.17 still declares Terminated and TerminateCommand, and both vocabularies keep them.",
  },
  {
    values: [],
    text: "Only validation speaks the released vocabulary (the lifecycles, `lookupIn`, `conform --vocabulary released`): the simulator, the control plane and the local Dyff (`serve api`) run the seed's, so they never write Schedulable, Restarted, the Waiting*/NoSuch* reasons or the Team, Account and Submission statuses.",
  },
];

/** Kinds of the package's `Entities` without a lifecycle of their own. */
export const dyffWithoutLifecycle: readonly { readonly kind: string; readonly note: string }[] = [
  ...[
    "Challenge",
    "Family",
    "Pipeline",
    "PipelineRun",
    "Revision",
    "History",
    "Concern",
    "UseCase",
    "Hazard",
    "OCIArtifact",
    "AuditProcedure",
    "Documentation",
  ].map((kind) => ({
    kind,
    note:
      kind === "PipelineRun"
        ? "A DyffEntity whose status has no set of its own; `PipelineRunStatus.nodes` records the status of each node's workflow, each in that workflow's own lifecycle."
        : kind === "Family"
          ? "A DyffEntity with no status set of its own; its tags are modelled as data (`editMembers`, `resolveTag`, `tagForNewWork`), not as a lifecycle."
          : kind === "Revision" || kind === "History"
            ? "A DyffEntity with no status set of its own: an immutable record of another entity's history (`recordRevision`, `reconstruct`)."
            : kind === "Documentation"
              ? "Not a DyffEntity and no status: the documentation of another entity."
              : "A DyffEntity with the generic status field and no status set of its own; no resource allocation, so no workflow to run.",
  })),
  {
    kind: "Quota",
    note: "Carries `Status` but no values of its own; `usage` changes by UpdateQuotaUsage, not by status.",
  },
  ...["Score", "Curve", "Analysis"].map((kind) => ({
    kind,
    note: "No status at all: data produced by an analysis (Measurement, SafetyCase), not a DyffEntity.",
  })),
];

/** Dyff's released vocabulary, as the catalog lists it (system `dyff-released`). */
export const dyffReleasedSystem: SystemDefinition = {
  name: "dyff-released",
  title: `Dyff, released (${DYFF_SCHEMA})`,
  description: `Dyff as the released package ${DYFF_SCHEMA} (PyPI, \`dyff/schema/v0/r1/platform.py\`) declares it, beside the seed's "Workflow status" page: every seed kind with the package's statuses and reasons added, and the kinds with a lifecycle of their own that only the package has. Each status carries its source (\`seed\`, or \`${DYFF_SCHEMA}\`); reasons are listed per kind by source. \`seed\` means phasekit's seed vocabulary: the seed documents, with the few reasons it already took from the reference implementation (AdmissionFailed, KubernetesResourceDeleted) or named itself (WorkflowFailed); a value both declare keeps \`seed\`. The seed vocabulary (\`dyff\`) stays the default: it is what the simulator and the control plane run. Validate against this one with \`dyffLifecycles("released")\`, \`new Conformance(lookupIn("released"))\`, or \`phasekit conform --vocabulary released\`.`,
  lifecycles: Object.values(dyffReleased),
  choices: [
    "Transitions for the package's values: the package declares values, not transitions, and no public source of the platform's services is released. phasekit places each value where the package's names, the seed's text and the public clients (dyff-client 0.27.3, dyff-audit 0.18.5) put it, and nowhere else.",
    "Schedulable (shared EntityStatus, declared between Created and Admitted, not terminal): every computational kind may pass Created -> Schedulable -> Admitted; the seed's Created -> Admitted stays. From Schedulable: admit, fail (SchemaError, AdmissionFailed, FailedDependency), terminate, expire, delete.",
    'Interrupted and Expired (shared EntityStatusReason, beside TerminateCommand and DeleteCommand): reasons of Terminated, the seed\'s "or sometimes by Dyff". Interrupted from Admitted (running work stopped by the platform); Expired from every non-terminal status (an InferenceSession writes its own SessionExpired instead).',
    "Approved and Denied (shared, terminal, success and failure by is_status_success / is_status_failure): no per-kind set lists them; phasekit gives them to Submission, the one kind an administrator accepts or refuses (its challenge limits submissions), as Created -> Approved | Denied.",
    "WaitingForDataSource, WaitingForModel, WaitingForEvaluation: Created reasons of Dataset, InferenceService and Report, the named form of UnsatisfiedDependency: from Created (no reason), then on to QuotaLimit. DataSourceMissing, NoSuchModel, NoSuchEvaluation: failure reasons from Created (the named entity does not exist).",
    "Evaluation: Restarted and Incomplete are Admitted reasons. Incomplete: verification found outputs missing (Admitted/Unverified -> Admitted/Incomplete); Restarted: the inference step runs again (from Admitted, Admitted/Unverified or Admitted/Incomplete), after which verify and InferenceFailed apply as in the first inference stage, and VerificationFailed ends an Incomplete evaluation.",
    "Dataset gains Admitted (an ingest from its DataSource) with IngestFailed from Admitted; the seed's upload path (Created -> Ready) stays. DataSource's UploadFailed is a failure from Admitted, like FetchFailed.",
    "Family (tags naming members, Dyff's \"latest\"): an edit is a JSON merge patch of the tags; only the tags it names change (a tag set to an entity is created or moved, with the edit's time; null removes it), so no tag moves by itself, not even `latest` when a newer member is created. An edit is all or nothing (OCI tag names, members of the family's memberKind), an empty one changes nothing, a Deleted family takes none. A member's deletion moves or removes no tag: reading the tag still answers the member (dyff-client's get_member), using it for new work is refused. Code: `editMembers`, `resolveTag`, `tagForNewWork`.",
    "Revision and History: the first Revision of an entity is a Snapshot; each later one holds the JSON merge patch from its state back to the previous revision's (the package's words) and names that revision; the entity itself is the newest state, older ones are rebuilt by applying patches newest first, and no Revision is rewritten. A change that leaves the entity as it was records none; only the package's revisable kinds get revisions (not History, Revision, Quota). A merge patch cannot set a member to null (null deletes), so a rebuilt middle revision lacks the null members it had. RestoreEntity's check: with a revision, ifRevisionMatch (when given) must equal it; without one, ifRevisionUndefined decides, by default only when no ifRevisionMatch is given. Code: `recordRevision`, `reconstruct`, `mayRestore`.",
    "Team starts WaitingForApproval (TeamStatus's docstring); Account starts Active (its schema default) and moves Active <-> Suspended by SuspendCommand and ReactivateCommand, with no Deleted (an Account is not a DyffEntity).",
  ],
  differences: dyffReleasedDifferences.map((d) => d.text),
  withoutLifecycle: dyffWithoutLifecycle,
};

/**
 * The Dyff lifecycles of a vocabulary: the seed's (the default) or the released package's.
 *
 * @example
 * ```ts
 * import { dyffLifecycles } from "@phasekit/core";
 * const evaluation = dyffLifecycles("released").Evaluation;
 * evaluation.leafOf("Admitted", "Restarted"); // a leaf index: the released vocabulary has it
 * dyffLifecycles().Evaluation.leafOf("Admitted", "Restarted"); // undefined: the seed's has not
 * ```
 */
export function dyffLifecycles(vocabulary?: "seed"): typeof dyff;
export function dyffLifecycles(vocabulary: "released"): typeof dyffReleased;
export function dyffLifecycles(vocabulary?: DyffVocabulary): Readonly<Record<string, Lifecycle>>;
export function dyffLifecycles(vocabulary: DyffVocabulary = "seed"): Readonly<Record<string, Lifecycle>> {
  return vocabulary === "released" ? dyffReleased : dyff;
}
