import type { RunaiJobAttributes } from "./attributes.js";
import type { RunaiObservation } from "./derive.js";
import { type ContainerSketch, type PodSketch, podFixture } from "./pod-fixtures.js";
import { trainingRetryDecision } from "./retry.js";

/**
 * A small model of what the scheduler, the kubelet and the Job controller do to one Run:ai job's pod,
 * step by step, so tests (and the simulator) can produce realistic sequences of Pod observations.
 * Training pods run with restartPolicy Never (a failure is a new pod), distributed launchers with
 * OnFailure (init containers back off in place), interactive pods with Always.
 */
export type RunaiKubeletAction =
  | "unschedulable"
  | "gate"
  | "bind"
  | "pullFailed"
  | "pullBackOff"
  | "start"
  | "exitZero"
  | "exitFailure"
  | "backOff"
  | "cannotRun"
  | "delete"
  | "preempt"
  | "stopped"
  | "evict"
  | "timeOut"
  | "newPod"
  | "schedulerDown";

/** The state of one job's current pod, and the job's attributes. */
export interface RunaiPodWorld {
  readonly attributes: RunaiJobAttributes;
  readonly podIndex: number;
  readonly initTotal: number;
  readonly stage: "unscheduled" | "init" | "main" | "deleting" | "awaitingPod" | "ended";
  readonly sketch: PodSketch;
  /** Init containers completed so far. */
  readonly initDone: number;
  /** The current container (init container `initDone`, or the main one). */
  readonly current: ContainerSketch;
  readonly deletedBy?: "user" | "preemption";
}

/**
 * A new job's world: one pod, not scheduled yet; distributed launchers get two init containers.
 *
 * @example
 * ```ts
 * let w = runaiPodWorld(runaiJobAttributes.parse({ type: "training" }));
 * w = runaiKubeletStep(runaiKubeletStep(w, "bind"), "start");
 * deriveRunaiStatus(runaiPodObservation(w)).status; // "Running"
 * ```
 */
export function runaiPodWorld(attributes: RunaiJobAttributes, podIndex = 0): RunaiPodWorld {
  const initTotal = attributes.type === "distributed" ? 2 : 0;
  const restartPolicy = { training: "Never", interactive: "Always", distributed: "OnFailure" } as const;
  return {
    attributes,
    podIndex,
    initTotal,
    stage: "unscheduled",
    initDone: 0,
    current: { waiting: null },
    sketch: {
      name: `job-${podIndex}`,
      created: `2026-01-01T00:${String(podIndex % 60).padStart(2, "0")}:00Z`,
      restartPolicy: restartPolicy[attributes.type],
      initTotal,
    },
  };
}

const terminated = (exitCode: number, reason: string) => ({ terminated: { exitCode, reason } }) as const;
const waitingOn = (c: ContainerSketch) => ("waiting" in c ? c.waiting : undefined);
const failedCode = (c: ContainerSketch) => ("terminated" in c ? c.terminated.exitCode : undefined);

/**
 * The actions the model allows now (none once the job has ended).
 *
 * @example
 * ```ts
 * runaiKubeletActions(runaiPodWorld(attributes)); // ["unschedulable", "gate", "bind", "schedulerDown"]
 * ```
 */
export function runaiKubeletActions(w: RunaiPodWorld): RunaiKubeletAction[] {
  const a = w.attributes;
  const extra: RunaiKubeletAction[] = a.schedulerRunning ? ["schedulerDown"] : [];
  const interactive = a.type === "interactive";
  const anyTime: RunaiKubeletAction[] = ["delete", "preempt", ...(interactive ? (["timeOut"] as const) : [])];
  switch (w.stage) {
    case "ended":
      return [];
    case "awaitingPod":
      return ["newPod", ...extra];
    case "deleting":
      return ["stopped", ...extra];
    case "unscheduled":
      return ["unschedulable", "gate", "bind", ...extra];
  }
  const c = w.current;
  const out: RunaiKubeletAction[] = [...anyTime, ...extra];
  const waiting = waitingOn(c);
  if (waiting === "PodInitializing" || waiting === "ContainerCreating") out.push("pullFailed", "start");
  if (waiting === "ErrImagePull") out.push("pullBackOff");
  if (waiting === "ImagePullBackOff") out.push("pullFailed", "start");
  if (waiting === "CrashLoopBackOff") out.push("start", "exitFailure");
  if ("running" in c)
    out.push("exitZero", "exitFailure", ...(w.stage === "main" ? (["evict"] as const) : []));
  if (failedCode(c) !== undefined && a.type !== "training") out.push("backOff");
  const main = w.stage === "main";
  if (
    main &&
    (waiting === "ContainerCreating" || waiting === "PodInitializing" || waiting === "ImagePullBackOff")
  )
    out.push("cannotRun");
  if (main && interactive && waiting === "CrashLoopBackOff") out.push("cannotRun");
  return out;
}

/**
 * The world as an observation: the pod the API server would return now, and the attributes.
 *
 * @example
 * ```ts
 * deriveRunaiStatus(runaiPodObservation(world));
 * ```
 */
export function runaiPodObservation(w: RunaiPodWorld): RunaiObservation {
  return { pods: [podFixture(w.sketch)], attributes: w.attributes };
}

const ready = [
  { type: "PodScheduled", status: "True" },
  { type: "Ready", status: "True" },
] as const;

/** The world with a new state for the current container (and the pod fields in `patch`). */
function withCurrent(
  w: RunaiPodWorld,
  current: ContainerSketch,
  patch: Partial<PodSketch> = {},
  stage: RunaiPodWorld["stage"] = w.stage,
): RunaiPodWorld {
  const completed = (n: number) => Array.from({ length: n }, () => terminated(0, "Completed"));
  const initStage = stage === "init";
  const init =
    w.initTotal === 0 ? undefined : initStage ? [...completed(w.initDone), current] : completed(w.initTotal);
  const main = initStage ? [{ waiting: "PodInitializing" }] : [current];
  return { ...w, stage, current, sketch: { ...w.sketch, ...(init ? { init } : {}), main, ...patch } };
}

/**
 * Applies one action; an action the model does not allow now returns the world unchanged.
 *
 * @example
 * ```ts
 * const crashed = runaiKubeletStep(running, "exitFailure"); // Error, or Fail once retries are spent
 * ```
 */
export function runaiKubeletStep(w: RunaiPodWorld, action: RunaiKubeletAction): RunaiPodWorld {
  if (!runaiKubeletActions(w).includes(action)) return w;
  const a = w.attributes;
  const inInit = w.stage === "init";
  const set = (current: ContainerSketch, patch: Partial<PodSketch> = {}, stage = w.stage) =>
    withCurrent(w, current, patch, stage);
  const restarts = w.current.restartCount ?? 0;
  switch (action) {
    case "schedulerDown":
      return { ...w, attributes: { ...a, schedulerRunning: false } };
    case "unschedulable":
    case "gate": {
      const reason = action === "gate" ? "SchedulingGated" : "Unschedulable";
      return {
        ...w,
        sketch: { ...w.sketch, conditions: [{ type: "PodScheduled", status: "False", reason }] },
      };
    }
    case "bind": {
      const init = w.initTotal > 0;
      const first: ContainerSketch = { waiting: init ? "PodInitializing" : "ContainerCreating" };
      return withCurrent(
        w,
        first,
        { nodeName: `node-${w.podIndex % 3}`, conditions: [ready[0]] },
        init ? "init" : "main",
      );
    }
    case "pullFailed":
      return set({ waiting: "ErrImagePull", restartCount: restarts });
    case "pullBackOff":
      return set({ waiting: "ImagePullBackOff", restartCount: restarts });
    case "start": {
      const running: ContainerSketch = { running: true, restartCount: restarts };
      if (inInit) return set(running);
      // A distributed launcher restarted in place after a failure: that restart is a retry.
      const retried = waitingOn(w.current) === "CrashLoopBackOff" && a.type === "distributed";
      const next = retried ? { ...w, attributes: { ...a, retries: a.retries + 1 } } : w;
      return withCurrent(next, running, { phase: "Running", conditions: [...ready] });
    }
    case "exitZero":
      if (inInit) {
        const initDone = w.initDone + 1;
        const next = { ...w, initDone };
        return initDone < w.initTotal
          ? withCurrent(next, { waiting: "PodInitializing" })
          : withCurrent(next, { waiting: "PodInitializing" }, {}, "main");
      }
      return a.type === "interactive"
        ? set({ ...terminated(0, "Completed"), restartCount: restarts })
        : set(terminated(0, "Completed"), { phase: "Succeeded" }, "ended");
    case "exitFailure": {
      const failed: ContainerSketch = { ...terminated(1, "Error"), restartCount: restarts };
      if (inInit || a.type === "interactive") return set(failed);
      const retry = trainingRetryDecision(a.retries, a.backoffLimit) === "retry";
      if (a.type === "distributed")
        return set(failed, { phase: retry ? "Running" : "Failed" }, retry ? "main" : "ended");
      return set(failed, { phase: "Failed" }, retry ? "awaitingPod" : "ended");
    }
    case "backOff":
      return set({ waiting: "CrashLoopBackOff", restartCount: restarts + 1 });
    case "cannotRun":
      return set(
        terminated(128, "ContainerCannotRun"),
        { phase: a.type === "interactive" ? "Running" : "Failed" },
        "ended",
      );
    case "delete":
    case "preempt": {
      const disruption =
        action === "preempt"
          ? [{ type: "DisruptionTarget", status: "True", reason: "PreemptionByScheduler" } as const]
          : [];
      const conditions = [...(w.sketch.conditions ?? []), ...disruption];
      const sketch = { ...w.sketch, deletion: "2026-01-01T02:00:00Z", conditions };
      return { ...w, stage: "deleting", sketch, deletedBy: action === "delete" ? "user" : "preemption" };
    }
    case "stopped":
    case "evict": {
      const next = withCurrent(w, terminated(143, "Error"), {
        phase: "Failed",
        ...(action === "evict" ? { reason: "Evicted" } : {}),
      });
      const ends = w.deletedBy === "user" || (a.type === "interactive" && a.preemptible);
      return { ...next, stage: ends ? "ended" : "awaitingPod" };
    }
    case "timeOut":
      return set(terminated(137, "Error"), { phase: "Failed", reason: "DeadlineExceeded" }, "ended");
    case "newPod": {
      // A failed attempt's replacement is a retry; a preempted or evicted pod's replacement is not.
      const failedBefore = w.deletedBy === undefined && w.sketch.reason !== "Evicted";
      return runaiPodWorld({ ...a, retries: a.retries + (failedBefore ? 1 : 0) }, w.podIndex + 1);
    }
  }
}
