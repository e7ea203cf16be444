import { describe, expect, it } from "vitest";
import { type RunaiJobAttributes, runaiJobAttributes } from "./attributes.js";
import { deriveRunaiStatus } from "./derive.js";
import { type K8sJob, k8sJob } from "./kubernetes.js";
import { type PodSketch, podFixture } from "./pod-fixtures.js";
import { INIT_PROGRESS } from "./statuses.js";

type Attrs = Partial<RunaiJobAttributes> & Pick<RunaiJobAttributes, "type">;
const attrs = (a: Attrs) => runaiJobAttributes.parse(a);
const pod = (type: Attrs | Attrs["type"], sketch: PodSketch) =>
  deriveRunaiStatus({
    pods: [podFixture(sketch)],
    attributes: attrs(typeof type === "string" ? { type } : type),
  });

const running = { phase: "Running", nodeName: "n1", main: [{ running: true }] } as const;
const exited = (exitCode: number, reason = exitCode === 0 ? "Completed" : "Error") =>
  ({ phase: exitCode === 0 ? "Succeeded" : "Failed", main: [{ terminated: { exitCode, reason } }] }) as const;
const deletion = "2026-01-01T01:00:00Z";
const disruption = { type: "DisruptionTarget", status: "True", reason: "PreemptionByScheduler" } as const;

describe("deriveRunaiStatus: one pod", () => {
  it("an unschedulable pod is Pending/NotEnoughResources; a gated one Pending/WaitingInQueue", () => {
    const unschedulable = { type: "PodScheduled", status: "False", reason: "Unschedulable" } as const;
    expect(pod("training", { conditions: [unschedulable] })).toMatchObject({
      status: "Pending",
      reason: "NotEnoughResources",
      resourcesAllocated: false,
      endState: false,
      decidedBy: { object: "Pod/job-0", field: "status.conditions[0].reason", rule: "unschedulable" },
    });
    const gated = { type: "PodScheduled", status: "False", reason: "SchedulingGated" } as const;
    expect(pod("interactive", { conditions: [gated] })).toMatchObject({
      status: "Pending",
      reason: "WaitingInQueue",
    });
  });

  it("a running pod is Running and allocates resources", () => {
    expect(pod("training", running)).toMatchObject({
      status: "Running",
      resourcesAllocated: true,
      decidedBy: { field: "status.phase", value: "Running", rule: "pod-phase" },
      kubectl: "Running",
    });
  });

  it("a training attempt that exits non-zero is Error (no resources) until backoffLimit retries are spent, then Fail", () => {
    expect(pod({ type: "training", retries: 1, backoffLimit: 2 }, exited(1))).toMatchObject({
      status: "Error",
      resourcesAllocated: false,
      decidedBy: { field: "status.containerStatuses[0].state.terminated.reason", rule: "retry-pending" },
    });
    expect(pod({ type: "training", retries: 2, backoffLimit: 2 }, exited(1))).toMatchObject({
      status: "Fail",
      endState: true,
      decidedBy: { rule: "backoff-limit-reached" },
    });
    expect(pod("training", exited(0))).toMatchObject({
      status: "Succeeded",
      endState: true,
      resourcesAllocated: false,
    });
  });

  it("an interactive job: Error allocates resources, then CrashLoopBackOff; exit 0 is never Succeeded", () => {
    const keeps = { phase: "Running", restartPolicy: "Always" } as const;
    expect(
      pod("interactive", { ...keeps, main: [{ terminated: { exitCode: 1, reason: "Error" } }] }),
    ).toMatchObject({
      status: "Error",
      resourcesAllocated: true,
    });
    expect(
      pod("interactive", { ...keeps, main: [{ waiting: "CrashLoopBackOff", restartCount: 3 }] }),
    ).toMatchObject({
      status: "CrashLoopBackOff",
      resourcesAllocated: true,
    });
    expect(pod("training", { ...keeps, main: [{ waiting: "CrashLoopBackOff" }] }).status).toBe("Error");
  });

  it("an interactive container that exits 0 is not an Error: Running while restarted in place, Pending once its pod Succeeded", () => {
    const keeps = { phase: "Running", restartPolicy: "Always" } as const;
    expect(
      pod("interactive", { ...keeps, main: [{ terminated: { exitCode: 0, reason: "Completed" } }] }),
    ).toMatchObject({
      status: "Running",
      resourcesAllocated: true,
      decidedBy: { rule: "interactive-exited-zero" },
      kubectl: "Completed",
    });
    // A Succeeded pod is never restarted: its controller creates a new pod, which waits.
    expect(pod("interactive", exited(0))).toMatchObject({
      status: "Pending",
      endState: false,
      decidedBy: { field: "status.phase", value: "Succeeded", rule: "interactive-pod-succeeded" },
    });
    expect(pod("interactive", { phase: "Succeeded" })).toMatchObject({
      status: "Pending",
      decidedBy: { rule: "interactive-pod-succeeded" },
    });
    expect(pod("interactive", exited(0, "Whatever")).decidedBy.rule).toBe("interactive-pod-succeeded");
  });

  it("image pull failures and containers that cannot run", () => {
    expect(pod("training", { main: [{ waiting: "ErrImagePull" }] }).status).toBe("ErrImagePull");
    expect(pod("training", { main: [{ waiting: "InvalidImageName" }] }).status).toBe("ErrImagePull");
    expect(pod("interactive", { main: [{ waiting: "ImagePullBackOff" }] })).toMatchObject({
      status: "ImagePullBackOff",
      resourcesAllocated: true,
    });
    expect(pod("training", exited(128, "ContainerCannotRun"))).toMatchObject({
      status: "ContainerCannotRun",
      endState: true,
    });
    expect(pod("interactive", exited(128, "StartError")).status).toBe("ContainerCannotRun");
  });

  it("upstream reasons phasekit does not know map to explicit rules, never to a free string", () => {
    expect(pod("training", { main: [{ waiting: "SandboxChanged2" }] })).toMatchObject({
      status: "ContainerCreating",
      decidedBy: { value: "SandboxChanged2", rule: "unknown-waiting-reason" },
    });
    expect(pod("training", exited(0, "Whatever"))).toMatchObject({
      status: "Succeeded",
      decidedBy: { rule: "unknown-terminated-reason" },
    });
    expect(pod("interactive", exited(2, "Whatever")).status).toBe("Error");
    expect(pod("training", { phase: "Failed", reason: "UnexpectedAdmissionError" })).toMatchObject({
      status: "Error",
      decidedBy: { field: "status.reason", value: "UnexpectedAdmissionError", rule: "retry-pending" },
    });
    expect(pod("training", { phase: "Running", reason: "SomethingNew" })).toMatchObject({
      status: "Running",
      decidedBy: { field: "status.reason", rule: "pod-reason-by-phase" },
    });
    expect(pod("training", { phase: "Unknown", main: [{ running: true }] })).toMatchObject({
      status: "Running",
      decidedBy: { field: "status.containerStatuses[0].state.running", rule: "pod-phase-unknown" },
    });
  });

  it("phase Unknown keeps the last reported state: Running only if a container was seen running", () => {
    expect(pod("training", { phase: "Unknown", nodeName: "n1" })).toMatchObject({
      status: "ContainerCreating",
      decidedBy: { field: "spec.nodeName", value: "n1", rule: "pod-phase-unknown-not-started" },
    });
    expect(pod("training", { phase: "Unknown", nodeName: "n1", main: [{ waiting: null }] }).status).toBe(
      "ContainerCreating",
    );
    expect(pod("interactive", { phase: "Unknown" })).toMatchObject({
      status: "Pending",
      decidedBy: { rule: "pod-phase-unknown-unscheduled" },
    });
    // A waiting reason decides before the phase, as in kubectl.
    expect(pod("training", { phase: "Unknown", main: [{ waiting: "ErrImagePull" }] }).status).toBe(
      "ErrImagePull",
    );
  });

  it("deletion: Terminating while the pod stops, then Deleted; a preemption sends the job back to Pending", () => {
    expect(pod("training", { ...running, deletion })).toMatchObject({
      status: "Terminating",
      resourcesAllocated: true,
      decidedBy: { field: "metadata.deletionTimestamp", rule: "pod-terminating" },
    });
    const stopped = {
      deletion,
      phase: "Failed",
      main: [{ terminated: { exitCode: 143, reason: "Error" } }],
    } as const;
    expect(pod("training", stopped)).toMatchObject({
      status: "Deleted",
      endState: true,
      decidedBy: { rule: "pod-deleted" },
    });
    expect(pod("training", { ...stopped, conditions: [disruption] })).toMatchObject({
      status: "Pending",
      decidedBy: { field: "status.conditions[0].type", rule: "evicted-requeued" },
    });
    expect(
      pod({ type: "interactive", preemptible: true }, { ...stopped, conditions: [disruption] }),
    ).toMatchObject({
      status: "Preempted",
      endState: true,
    });
    expect(
      pod({ type: "interactive", preemptible: false }, { ...stopped, conditions: [disruption] }).status,
    ).toBe("Pending");
    expect(pod("training", { ...running, deletion, reason: "NodeLost" })).toMatchObject({
      status: "Terminating",
      kubectl: "Unknown",
      decidedBy: { rule: "node-lost" },
    });
  });

  it("a kubelet eviction (no deletion) ends like a preemption", () => {
    const evicted = {
      phase: "Failed",
      reason: "Evicted",
      main: [{ terminated: { exitCode: 137, reason: "Error" } }],
    } as const;
    expect(pod("training", evicted)).toMatchObject({
      status: "Pending",
      decidedBy: { field: "status.reason", value: "Evicted" },
    });
    expect(pod({ type: "interactive", preemptible: true }, evicted).status).toBe("Preempted");
  });

  it("a deadline: TimedOut for an interactive job, a failed attempt for a training job", () => {
    const deadline = {
      phase: "Failed",
      reason: "DeadlineExceeded",
      main: [{ terminated: { exitCode: 137, reason: "Error" } }],
    } as const;
    expect(pod("interactive", deadline)).toMatchObject({
      status: "TimedOut",
      endState: true,
      decidedBy: { rule: "pod-timed-out" },
    });
    expect(pod({ type: "training", backoffLimit: 0 }, deadline).status).toBe("Fail");
  });

  it("an end state reached while the scheduler was down is Unknown; other statuses are not affected", () => {
    expect(pod({ type: "training", schedulerRunning: false }, exited(0))).toMatchObject({
      status: "Unknown",
      endState: true,
      decidedBy: { object: "attributes", field: "schedulerRunning", rule: "scheduler-was-down" },
      kubectl: "Completed",
    });
    expect(pod({ type: "training", schedulerRunning: false }, running).status).toBe("Running");
  });

  it("distributed: Init:<done>/<total> with its counts, PodInitializing, Init:Error, Init:CrashLoopBackOff", () => {
    const launcher = (
      init: NonNullable<PodSketch["init"]>,
      main: NonNullable<PodSketch["main"]> = [{ waiting: "PodInitializing" }],
    ) => pod("distributed", { initTotal: 2, init, main, restartPolicy: "OnFailure", nodeName: "n1" });
    expect(launcher([{ terminated: { exitCode: 0, reason: "Completed" } }, { running: true }])).toMatchObject(
      {
        status: INIT_PROGRESS,
        display: "Init:1/2",
        resourcesAllocated: true,
        decidedBy: { field: "status.initContainerStatuses[1].state", rule: "init-progress" },
      },
    );
    const done = [
      { terminated: { exitCode: 0, reason: "Completed" } },
      { terminated: { exitCode: 0, reason: "Completed" } },
    ];
    expect(launcher(done)).toMatchObject({
      status: "PodInitializing",
      display: "PodInitializing",
      resourcesAllocated: true,
    });
    expect(launcher([{ terminated: { exitCode: 1, reason: "Error" } }])).toMatchObject({
      status: "Init:Error",
      resourcesAllocated: false,
    });
    expect(launcher([{ waiting: "CrashLoopBackOff" }])).toMatchObject({
      status: "Init:CrashLoopBackOff",
      endState: false,
    });
    expect(launcher([{ waiting: "ErrImagePull" }]).status).toBe("ErrImagePull");
    expect(
      pod("training", { initTotal: 1, init: [{ running: true }], main: [{ waiting: "PodInitializing" }] })
        .status,
    ).toBe("ContainerCreating");
  });
});

const job = (j: {
  conditions?: unknown[];
  deletion?: string;
  suspend?: boolean;
  backoffLimit?: number;
}): K8sJob =>
  k8sJob.parse({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "train", ...(j.deletion ? { deletionTimestamp: j.deletion } : {}) },
    spec: { template: {}, backoffLimit: j.backoffLimit ?? 2, ...(j.suspend ? { suspend: true } : {}) },
    status: { conditions: j.conditions ?? [] },
  });
const withJob = (type: Attrs | Attrs["type"], j: K8sJob, pods: PodSketch[]) =>
  deriveRunaiStatus({
    job: j,
    pods: pods.map((p) => podFixture({ ownerJob: "train", ...p })),
    attributes: attrs(typeof type === "string" ? { type } : type),
  });

describe("deriveRunaiStatus: a Job and its pods", () => {
  it("the Job's Complete and Failed conditions decide: Succeeded, Fail", () => {
    const complete = job({ conditions: [{ type: "Complete", status: "True" }] });
    expect(withJob("training", complete, [exited(0)])).toMatchObject({
      status: "Succeeded",
      decidedBy: { object: "Job/train", field: "status.conditions[0].type", rule: "job-complete" },
    });
    const failed = job({ conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }] });
    expect(withJob("training", failed, [exited(1)])).toMatchObject({
      status: "Fail",
      decidedBy: { rule: "job-failed" },
    });
    const deadline = job({ conditions: [{ type: "Failed", status: "True", reason: "DeadlineExceeded" }] });
    expect(withJob("interactive", deadline, [running]).status).toBe("TimedOut");
  });

  it("while the Job has not failed, a failed attempt is Error whatever the retry count says", () => {
    expect(withJob({ type: "training", retries: 9, backoffLimit: 0 }, job({}), [exited(1)]).status).toBe(
      "Error",
    );
  });

  it("the live pod of a retry decides, not the failed one", () => {
    const failedFirst = { ...exited(1), name: "train-a", created: "2026-01-01T00:00:00Z" };
    const retry = { name: "train-b", created: "2026-01-01T00:05:00Z" };
    expect(withJob("training", job({}), [retry, failedFirst])).toMatchObject({
      status: "Pending",
      decidedBy: { object: "Pod/train-b" },
    });
  });

  it("a deleted Job is Terminating while a pod runs, then Deleted", () => {
    expect(withJob("training", job({ deletion }), [running])).toMatchObject({
      status: "Terminating",
      decidedBy: { rule: "job-deleting" },
    });
    expect(withJob("training", job({ deletion }), [exited(1)])).toMatchObject({
      status: "Deleted",
      decidedBy: { rule: "job-deleted" },
    });
  });

  it("a Job without pods is Pending, WaitingInQueue when suspended", () => {
    expect(withJob("training", job({}), [])).toMatchObject({
      status: "Pending",
      reason: null,
      decidedBy: { rule: "job-without-pods" },
    });
    expect(withJob("training", job({ suspend: true }), [])).toMatchObject({
      status: "Pending",
      reason: "WaitingInQueue",
      decidedBy: { field: "spec.suspend", rule: "job-suspended" },
    });
  });

  it("a distributed job is what its launcher shows, not its workers", () => {
    const worker = {
      name: "mpi-worker-0",
      labels: { "training.kubeflow.org/job-role": "worker" },
      ...running,
    };
    const launcher = {
      name: "mpi-launcher",
      labels: { "training.kubeflow.org/job-role": "launcher" },
      initTotal: 1,
      init: [{ running: true as const }],
      main: [{ waiting: "PodInitializing" }],
    };
    expect(withJob("distributed", job({}), [worker, launcher])).toMatchObject({
      status: INIT_PROGRESS,
      display: "Init:0/1",
      decidedBy: { object: "Pod/mpi-launcher" },
    });
  });
});
