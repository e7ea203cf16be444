import type { SystemDefinition } from "../../catalog/system.js";
import { distributedJobLifecycle } from "./distributed-job.js";
import { interactiveJobLifecycle } from "./interactive-job.js";
import { trainingJobLifecycle } from "./training-job.js";
import { runaiWorkloadLifecycle } from "./workload.js";
import { runaiLegacyToWorkload, runaiWorkloadRules } from "./workload-derive.js";

export {
  mpiLauncherLabels,
  type RunaiJobAttributes,
  runaiAttributeKeys,
  runaiJobAttributes,
} from "./attributes.js";
export {
  deriveRunaiStatus,
  type RunaiDecidingField,
  type RunaiDerivation,
  type RunaiObservation,
  runaiDecidingPod,
} from "./derive.js";
export {
  type DistributedJobStatus,
  distributedJobLifecycle,
  distributedJobStatuses,
} from "./distributed-job.js";
export type { RunaiEventReasons, RunaiKindEvent, RunaiPendingEvent } from "./edges.js";
export {
  type InteractiveJobStatus,
  interactiveJobLifecycle,
  interactiveJobStatuses,
} from "./interactive-job.js";
export { type KubectlPodStatus, type KubectlSource, kubectlPodStatus } from "./kubectl-status.js";
export {
  type RunaiKubeletAction,
  type RunaiPodWorld,
  runaiKubeletActions,
  runaiKubeletStep,
  runaiPodObservation,
  runaiPodWorld,
} from "./kubelet-model.js";
export {
  type K8sCondition as RunaiK8sCondition,
  type K8sContainerStatus as RunaiK8sContainerStatus,
  type K8sJob as RunaiK8sJob,
  type K8sPod as RunaiK8sPod,
  type K8sRunaiObject as RunaiK8sObject,
  k8sJob as runaiK8sJob,
  k8sPod as runaiK8sPod,
} from "./kubernetes.js";
export { runaiLifecycleOf } from "./lifecycles.js";
export {
  type MarkedObject as RunaiMarkedObject,
  type RunaiMark,
  runaiMarkOf,
  runaiPriorityClasses,
  runaiWorkloadKinds,
} from "./marks.js";
export {
  decodeRunaiObjects,
  type RunaiObservationGroup,
  type RunaiTypeSource,
  runaiObservations,
  runaiOwnerOf,
} from "./objects.js";
export {
  type ContainerSketch as RunaiContainerSketch,
  type PodSketch as RunaiPodSketch,
  podFixture as runaiPodFixture,
} from "./pod-fixtures.js";
export { type RunaiPodContext, type RunaiPodVerdict, runaiPodStatus } from "./pod-status.js";
export { DEFAULT_BACKOFF_LIMIT as RUNAI_DEFAULT_BACKOFF_LIMIT, trainingRetryDecision } from "./retry.js";
export { type RunaiRule, runaiRules } from "./rules.js";
export {
  INIT_PROGRESS as RUNAI_INIT_PROGRESS,
  type RunaiEvent,
  type RunaiJobType,
  type RunaiKind,
  type RunaiPendingReason,
  type RunaiStatus,
  runaiEvents,
  runaiKindOf,
  runaiPendingReasons,
  runaiResourcesAllocated,
  runaiStatusNames,
} from "./statuses.js";
export { type TrainingJobStatus, trainingJobLifecycle, trainingJobStatuses } from "./training-job.js";
export {
  RUNAI_WORKLOADS_SINCE,
  RUNAI_WORKLOADS_SOURCE,
  type RunaiWorkloadEvent,
  type RunaiWorkloadStatus,
  runaiWorkloadEvents,
  runaiWorkloadLifecycle,
  runaiWorkloadStatuses,
} from "./workload.js";
export {
  deriveRunaiWorkloadStatus,
  type RunaiWorkloadDerivation,
  type RunaiWorkloadRule,
  runaiLegacyToWorkload,
  runaiWorkloadRules,
} from "./workload-derive.js";

/**
 * Each Run:ai kind's lifecycle by name: `runai.TrainingJob.step(record, { type: "schedule" })`. The
 * three job kinds are the seed's job statuses; `Workload` is the current releases' workload model.
 */
export const runai = {
  TrainingJob: trainingJobLifecycle,
  InteractiveJob: interactiveJobLifecycle,
  DistributedJob: distributedJobLifecycle,
  Workload: runaiWorkloadLifecycle,
} as const;

/** Run:ai, as the catalog lists it. */
export const runaiSystem: SystemDefinition = {
  name: "runai",
  title: "Run:ai",
  description:
    "Run:ai shows a Researcher one status per job, derived from Kubernetes objects and its own scheduler's knowledge. This reference is generated from phasekit's machines, which encode Run:ai's documentation page \"Job Statuses\" (https://docs.run.ai/v2.13/Researcher/scheduling/job-statuses/; \"the page\" below). `terminal` is the page's End State; `resourcesAllocated` is its Resource Allocation column for the kind. `deriveRunaiStatus` computes the status from a Job and its Pods (kubectl's STATUS precedence, mapped into Run:ai's words); `phasekit explain runai <file>` prints it with the field that decided it. Beside the page's job statuses, the kind `Workload` is the model of Run:ai's current releases (2.16 and later: Creating, Pending, Initializing, Running, Degraded, Deleting, Stopped, Failed, Completed, from the docs' \"Workload status\" table); `deriveRunaiWorkloadStatus` derives it from the same objects and `explain` shows both. The `source` column tags every status with where it comes from (`seed`, or the Run:ai docs and the version it applies from, `since`).",
  lifecycles: [
    trainingJobLifecycle,
    interactiveJobLifecycle,
    distributedJobLifecycle,
    runaiWorkloadLifecycle,
  ],
  choices: [
    "Kinds: TrainingJob (`runai submit`), InteractiveJob (`--interactive`), DistributedJob (`submit-dist mpi`, as its launcher pod shows it). Each kind has only the statuses the page gives it: TimedOut, Preempted and CrashLoopBackOff are interactive only; Succeeded and Fail never happen to an interactive job; the four Init statuses are distributed only.",
    "Preemptible is a flag of an interactive job, not a second machine: InteractiveJob has the Preempted edge and only a preemptible job takes it (the derivation never yields Preempted otherwise; a property proves it). A non-preemptible interactive job that is evicted (node drain) goes back to Pending. For training and distributed jobs the flag is not read: preemption sends them back to Pending (page: Running -> Terminating -> Pending).",
    "Init:<done>/<total> is one status whose counts are data (`display`, e.g. Init:1/2), since a machine cannot have a state per count.",
    "Outcomes: Succeeded success; Fail and ContainerCannotRun failure; Deleted deleted; TimedOut and Preempted early-termination. Unknown is an end state whose result is not known: phasekit gives it the outcome failure, because a caller must not count it as a success and it did not stop early (the page says the job finished).",
    "End states absorb: the page calls them final, so deleting a finished job does not change its status (there is no Succeeded -> Deleted).",
    "Init:Error and Init:CrashLoopBackOff: the page leaves End State and Resource Allocation blank. Blank End State means not an end state (as for Running); blank Resource Allocation is read as '-' (no), like every row that is not 'Yes'.",
    "Reasons: only Pending carries one, the two the page lists: NotEnoughResources (the pod's PodScheduled condition is False with reason Unschedulable) and WaitingInQueue (a scheduling gate, or a suspended Job, as queueing controllers hold work). Pending without either is allowed. Terminating carries none: the page says its reason 'will be written once eviction finishes'.",
    "Retries are data: the machine allows Error -> retry (Pending, or ContainerCreating when the new pod is bound at once) and Error -> Fail; `trainingRetryDecision(retriesSoFar, backoffLimit)` picks, with Kubernetes' meaning of backoffLimit (N retries, N + 1 attempts). With a Job object its Failed condition decides instead. A failed attempt that is the last one goes straight to Fail (Running -> Fail).",
    "Unknown is derived when the attributes say the Run:ai scheduler was not running and the status would otherwise be an end state; any non-terminal status may move to Unknown.",
    "Derivation order: the Job (Complete -> Succeeded, Failed -> Fail or, interactive with DeadlineExceeded, TimedOut, deletion -> Terminating/Deleted, suspended or no pod -> Pending); then the pod's end-of-life signals kubectl does not render (phase Failed with an eviction reason or a DisruptionTarget condition -> Pending, or Preempted for an interactive preemptible job; phase Failed with DeadlineExceeded -> TimedOut for an interactive job; deleted and stopped -> Deleted); then kubectl's own precedence: deletion (Terminating), init containers, containers (the first with a waiting or terminated reason), scheduling gate, pod reason, phase.",
    "kubectl computes init containers before deletion but lets deletion override at the end; phasekit follows the code, so a deleted pod still initialising is Terminating.",
    "Mapping of upstream values: ContainerCreating, CreateContainerConfigError, PodInitializing (non-distributed) -> ContainerCreating; ErrImagePull, ImageInspectError, ErrImageNeverPull, InvalidImageName, RegistryUnavailable, SignatureValidationFailed -> ErrImagePull; ContainerCannotRun, StartError, RunContainerError, CreateContainerError, Pre/PostStartHookError -> ContainerCannotRun; CrashLoopBackOff -> CrashLoopBackOff (interactive) or Error (training: the job waits for another attempt). An unknown waiting reason -> ContainerCreating (rule unknown-waiting-reason: the container is on its node and not running yet); an unknown terminated reason -> decided by its exit code (rule unknown-terminated-reason); an unknown pod reason -> decided by the phase. Pod phase Unknown (node not reporting) keeps the last reported state, because Run:ai's Unknown is an end state with another meaning: Running when a container was last seen running (rule pod-phase-unknown), else ContainerCreating when the pod is bound to a node, else Pending.",
    "An interactive container that exits with code 0 is neither Succeeded (an interactive job never is) nor CrashLoopBackOff (the page's CrashLoopBackOff is the back-off 'after Error', and exit 0 is no error): in a running pod (restartPolicy Always) the kubelet restarts it in place and the job shows Running (rule interactive-exited-zero); a pod in phase Succeeded is never restarted, so its controller creates a new pod and the job shows Pending (rule interactive-pod-succeeded, edge replace). A waiting CrashLoopBackOff is still CrashLoopBackOff whatever the last exit code: it is what the kubelet reports and kubectl prints.",
    "A deleted pod that has stopped (phase Failed) is Deleted; a training pod that had already succeeded stays Succeeded (phase Succeeded), an interactive one is Deleted. A distributed launcher whose init container failed shows Init:Error even when no retry remains: with a Job, the Job's Failed condition turns it into Fail.",
    "Distributed jobs also accept Error -> Running: a launcher with restartPolicy OnFailure (the policy under which an init container backs off into Init:CrashLoopBackOff) is restarted in place.",
    "Defaults when nothing says otherwise: not preemptible, backoffLimit 6 (Kubernetes' Job default), no retries so far, scheduler running.",
    "For training and interactive pods, init containers are read in the kind's own words: Init:<i>/<N> -> ContainerCreating, a failed init container -> Error (or Fail), init image failures -> ErrImagePull / ImagePullBackOff.",
    "The deciding pod of a job: a distributed job's launcher (labels training.kubeflow.org/job-role, mpi-job-role or mpi_role_type = launcher); then a pod that may still run before a stopped one; then the newest.",
    "Attributes in files: annotations (then labels) runai.phasekit.dev/job-type, /preemptible, /backoff-limit, /retries, /scheduler-running; a Job's spec.backoffLimit and status.failed are read from the Job; CLI flags override all. Without phasekit's job-type, the type is read from what Run:ai itself writes on its objects, as its public documentation shows them: first an owner reference (of a pod or its Job) to a Run:ai workload resource, TrainingWorkload -> training, InteractiveWorkload -> interactive, DistributedWorkload -> distributed (run.ai/v2alpha1), RunaiJob (run.ai/v1) -> training unless its priority class says interactive; then Run:ai's priority class, as the pod's spec.priorityClassName or the priorityClassName label: train -> training, build -> interactive, interactive-preemptible -> interactive and preemptible (docs 'Submit a Run:ai Job via YAML', 'Workload priority control'). Owner kinds outrank priority classes, which a user may give any workload. Then an MPI launcher label means distributed, and a Job or a Run:ai owner means training. Pods owned by a Run:ai resource are grouped by it as one job. `explain` prints where the type came from (`type from`).",
    "Two Run:ai models side by side: the seed's job statuses (TrainingJob, InteractiveJob, DistributedJob) and the current workload statuses (Workload), so a user validates against either vocabulary. The workload status is the job status mapped, then refined where the objects say more; every legacy status maps as follows (the first target is the default): "
      .concat(
        Object.entries(runaiLegacyToWorkload)
          .map(([from, m]) => `${from} -> ${m.to.join(" | ")} (${m.why})`)
          .join("; "),
      )
      .concat("."),
    "Workload refinements: ".concat(
      Object.entries(runaiWorkloadRules)
        .map(([rule, why]) => `${rule}: ${why}`)
        .join("; "),
      ". A property test checks, over realistic pod lifecycles, that the workload status is always one its legacy status maps to and that the Workload machine accepts every derived sequence.",
    ),
  ],
  differences: [
    "ContainerCannotRun is an end state, as the page says, although Kubernetes retries a container that could not start (a restart, or a Job's new pod). Observations after it are rejected by the machine.",
    "kubectl shows Unknown for a deleted pod on a lost node (NodeLost); phasekit shows Terminating, because Run:ai's Unknown is an end state that means the scheduler was down.",
    "The Run:ai scheduler's own knowledge (queue position, over-quota) is not in Kubernetes objects; WaitingInQueue is derived only from a scheduling gate or a suspended Job.",
    "Node-pressure eviction by the kubelet fails a pod without deleting it, so Terminating is skipped: the machines accept Running -> Pending (and Running -> Preempted for interactive jobs) for it, beyond the page's Running -> Terminating -> Pending.",
    "Job type: Run:ai does not document every label its controllers put on pods; phasekit reads only the marks its public docs and sources show (owner references to TrainingWorkload, InteractiveWorkload, DistributedWorkload, RunaiJob; the priority classes train, build, interactive-preemptible). A pod that carries none of them, no Job and no phasekit annotation still needs --type. The Kubernetes adapter's watch groups pods by their Job only, so the pods of a RunaiJob without a Job are derived one by one there (`explain` and `conform` group them by their Run:ai owner).",
    "Workload model: Run:ai computes a workload's status in its control plane from its pod group and its own resources (TrainingWorkload...), which Kubernetes objects do not fully show. phasekit derives it from the Job and its pods: Degraded only when one pod of the job runs while another live one does not (Run:ai also counts detached volumes and incomplete network services); Stopped only from a suspended Job that had started (status.startTime), so a Job suspended by a queueing controller (Kueue) after it started also shows Stopped.",
    "Workload model: a failure Kubernetes still retries (Error, CrashLoopBackOff, ErrImagePull, ImagePullBackOff, Init:Error) is Degraded, not Failed; the docs' Failed ('image retrieval failed or containers experienced a crash') is taken to mean once Kubernetes has given up (the Job's Failed condition, or the legacy end states).",
    "Workload model: the legacy end states TimedOut and Preempted have no counterpart. TimedOut maps to Failed (the Job failed with DeadlineExceeded) and Preempted to Pending (inferred: the current docs do not end a preempted workload; the scheduler queues it again). Deleting is terminal (the workload's last status) and Stopped is not (it can be run again), so the common phase of Stopped is Pending, not the terminal phase Stopped.",
  ],
};
