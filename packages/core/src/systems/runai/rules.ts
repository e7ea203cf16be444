/**
 * Why the derivation chose a status: one explicit value per mapping rule, never a free string, so an
 * upstream value phasekit does not know is visible as such (`unknown-waiting-reason`, ...).
 */
export const runaiRules = {
  "job-complete": "the Job's Complete (or SuccessCriteriaMet) condition is True",
  "job-failed": "the Job's Failed (or FailureTarget) condition is True: it will not retry",
  "job-timed-out": "the interactive job's Job failed with DeadlineExceeded: the project's timeout",
  "job-deleting": "the Job is being deleted and a pod is still running",
  "job-deleted": "the Job is being deleted and no pod is left running",
  "job-suspended": "the Job is suspended: it waits in the queue",
  "job-without-pods": "the Job has no pod yet",
  "scheduler-was-down": "the job finished while the Run:ai scheduler was not running",
  "evicted-requeued": "the pod was evicted or preempted: the job goes back to the queue",
  "evicted-preempted": "the interactive preemptible job's pod was evicted",
  "pod-deleted": "the pod was deleted and has stopped",
  "pod-timed-out": "the interactive pod reached its deadline (DeadlineExceeded)",
  "pod-terminating": "the pod is being deleted",
  "node-lost": "the pod is being deleted on a lost node (kubectl shows Unknown)",
  "init-progress": "an init container has not completed yet",
  "init-unknown-waiting-reason":
    "an init container waits for a reason phasekit does not know: still initialising",
  "init-failed": "an init container exited with a non-zero code",
  "init-crash-loop": "the kubelet backs off before restarting a failed init container",
  "init-image": "an init container's image cannot be retrieved",
  "waiting-reason": "a container waits, for a reason phasekit knows",
  "unknown-waiting-reason": "a container waits for a reason phasekit does not know: it is not running yet",
  "exited-zero": "the container exited with code 0",
  "interactive-exited-zero":
    "an interactive container exited with code 0 in a running pod: the kubelet restarts it in place (not an Error, so no CrashLoopBackOff; never Succeeded)",
  "interactive-pod-succeeded":
    "an interactive pod ended in phase Succeeded: it is never restarted, and its controller creates a new pod, which waits to be scheduled",
  "exited-non-zero": "the container exited with a non-zero code",
  "retry-pending":
    "the attempt failed and retries remain (the Job has not failed, or retries < backoffLimit)",
  "backoff-limit-reached": "the attempt failed and backoffLimit retries are spent",
  "unknown-terminated-reason":
    "a container terminated for a reason phasekit does not know: its exit code decides",
  "cannot-run": "the container could not be started",
  "completed-with-running": "one container completed while another still runs",
  "scheduling-gated": "the pod is held by a scheduling gate: it waits in the queue",
  unschedulable: "the scheduler found no node with enough resources",
  "pod-phase": "the pod's phase",
  "pod-phase-unknown":
    "the pod's node stopped reporting (phase Unknown) and a container was last seen running: its last state, Running, is kept",
  "pod-phase-unknown-not-started":
    "the pod's node stopped reporting (phase Unknown) before any container was seen running; the pod is bound to a node: ContainerCreating",
  "pod-phase-unknown-unscheduled":
    "the pod's phase is Unknown, it is bound to no node and no container was seen running: Pending",
  "pod-reason-by-phase": "the pod's reason is not a Run:ai signal: its phase decides",
} as const;

export type RunaiRule = keyof typeof runaiRules;
