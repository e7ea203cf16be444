import type { JobStep } from "./engine.js";
import { jobBackOff, kubeletBackOff, nextAttempt, pullFails, type SimJob } from "./job.js";
import type { SimPod } from "./pods.js";
import type { RunaiSection } from "./scenario.js";

/**
 * What the kubelet and the Job controller do to a bound job's pods, step by step: init containers,
 * image pulls with back-off, the main container's scripted runs and exit codes, restarts in
 * CrashLoopBackOff (interactive, restartPolicy Always), a new pod after a failed attempt (training
 * and distributed, until `backoffLimit`), termination with a grace period, and the project's timeout.
 * It writes pods and Jobs only; the engine derives the status from them.
 *
 * @module
 */

/** What the kubelet asks of the engine. */
export interface KubeletHooks {
  /** Runs `step` on the job at `at`, if the job's generation is still `gen` then. */
  readonly schedule: (at: number, id: string, gen: number, step: JobStep) => void;
  readonly timeout: (at: number, id: string) => void;
  /** The job's GPUs go back to the pool. */
  readonly release: (job: SimJob) => void;
  /** The job reached an end state. */
  readonly ended: (job: SimJob) => void;
  /** A new pod for the job waits in the queue. */
  readonly requeue: (job: SimJob) => void;
}

/** How long after a container exits the kubelet shows CrashLoopBackOff, or ErrImagePull turns ImagePullBackOff. */
const kubeletSync = 1_000;

const terminated = (exitCode: number, restartCount = 0) => ({
  terminated: { exitCode, reason: exitCode === 0 ? "Completed" : "Error" },
  restartCount,
});

function workerPod(job: SimJob, k: number, node: string, now: number): SimPod {
  return {
    name: `${job.spec.id}-worker-${job.podCount - 1}-${k}`,
    created: now,
    node,
    phase: "Running",
    reason: null,
    deletion: null,
    unbound: null,
    disrupted: false,
    init: null,
    main: { running: true },
  };
}

export class Kubelet {
  constructor(
    private readonly section: RunaiSection,
    private readonly hooks: KubeletHooks,
  ) {}

  private after(job: SimJob, at: number, step: JobStep): void {
    this.hooks.schedule(at, job.spec.id, job.gen, step);
  }

  /** The scheduler bound the job's pods: a distributed launcher runs its init containers, the others pull. */
  bind(job: SimJob, now: number): void {
    const pod = job.pod;
    pod.unbound = null;
    pod.node = job.allocation[0]?.node ?? this.section.nodes[0]!.name;
    if (job.type === "distributed") {
      job.workers = job.allocation.map((a, k) => workerPod(job, k, a.node, now));
      pod.init = [{ running: true }, { waiting: "PodInitializing" }];
      pod.main = { waiting: "PodInitializing" };
      job.stage = "init";
      this.after(job, now + this.section.timing.init, "initDone");
    } else {
      pod.main = { waiting: "ContainerCreating" };
      job.stage = "creating";
      this.after(job, now + this.section.timing.pull, "pulled");
    }
  }

  step(job: SimJob, step: JobStep, now: number): void {
    const pod = job.pod;
    switch (step) {
      case "initDone": {
        const init = pod.init!;
        const i = init.findIndex((c) => !("terminated" in c));
        init[i] = terminated(0);
        if (i + 1 < init.length) {
          init[i + 1] = { running: true };
          this.after(job, now + this.section.timing.init, "initDone");
          return;
        }
        job.stage = "creating";
        this.after(job, now + this.section.timing.pull, "pulled");
        return;
      }
      case "pulled":
        if (!pullFails(job)) {
          this.start(job, now);
          return;
        }
        job.pullsFailed++;
        pod.main = { waiting: "ErrImagePull" };
        job.stage = "pullFailed";
        this.after(job, now + kubeletSync, "pullBackOff");
        return;
      case "pullBackOff":
        pod.main = { waiting: "ImagePullBackOff" };
        job.stage = "pullBackOff";
        this.after(job, now + kubeletBackOff(job.pullBackOffs) + this.section.timing.pull, "pulled");
        job.pullBackOffs++;
        return;
      case "exit":
        this.exit(job, now);
        return;
      case "crashBackOff":
        job.restarts++;
        pod.main = { waiting: "CrashLoopBackOff", restartCount: job.restarts };
        job.stage = "backOff";
        this.after(job, now + kubeletBackOff(job.restarts - 1), "restart");
        return;
      case "restart":
        this.start(job, now);
        return;
      case "newPod":
        this.hooks.requeue(job);
        return;
      case "stopped":
        this.stopped(job);
        return;
    }
  }

  private start(job: SimJob, now: number): void {
    job.pod.main = { running: true, restartCount: job.restarts };
    job.pod.phase = "Running";
    job.stage = "running";
    const timeout = this.section.projects[job.spec.project]?.interactiveTimeout;
    if (job.firstRun === null && job.type === "interactive" && timeout !== undefined)
      this.hooks.timeout(now + timeout, job.spec.id);
    job.firstRun ??= now;
    const runs = nextAttempt(job).runs;
    if (runs !== undefined) this.after(job, now + runs, "exit");
  }

  /** The main container exits with its attempt's code. */
  private exit(job: SimJob, now: number): void {
    const code = nextAttempt(job).exit ?? 0;
    job.exits++;
    const pod = job.pod;
    if (job.type === "interactive") {
      // restartPolicy Always: the pod keeps its node, the kubelet restarts the container after a back-off.
      pod.main = terminated(code, job.restarts);
      job.stage = "exited";
      this.after(job, now + kubeletSync, "crashBackOff");
      return;
    }
    pod.main = terminated(code);
    job.workers = [];
    if (code === 0) {
      pod.phase = "Succeeded";
      job.object.condition = "Complete";
      this.end(job);
      return;
    }
    pod.phase = "Failed";
    job.object.failures++;
    if (job.object.failures > job.backoffLimit) {
      job.object.condition = "Failed";
      this.end(job);
      return;
    }
    this.hooks.release(job);
    job.stage = "awaitingPod";
    job.gen++;
    this.after(job, now + jobBackOff(job.object.failures), "newPod");
  }

  /** The pods are being deleted (preempted, or the job deleted): Terminating for the grace period. */
  terminate(job: SimJob, why: "preemption" | "delete", now: number): void {
    job.terminating = why;
    job.pod.deletion ??= now;
    job.pod.disrupted = why === "preemption";
    for (const w of job.workers) w.deletion ??= now;
    job.gen++;
    this.after(job, now + this.section.timing.grace, "stopped");
  }

  /** The grace period is over: the pods have stopped and the GPUs are free. */
  private stopped(job: SimJob): void {
    const pod = job.pod;
    if (pod.main !== null) pod.main = terminated(143, job.restarts);
    pod.phase = "Failed";
    job.workers = [];
    this.hooks.release(job);
    // An interactive job is a victim only when preemptible: it ends Preempted. The others go back to the queue.
    if (job.terminating === "delete" || job.type === "interactive") {
      this.end(job);
      return;
    }
    this.hooks.requeue(job);
  }

  /** The project's timeout for interactive jobs: the pod's deadline is exceeded. */
  timeOut(job: SimJob, _now: number): void {
    job.pod.phase = "Failed";
    job.pod.reason = "DeadlineExceeded";
    job.pod.main = terminated(137, job.restarts);
    job.workers = [];
    this.end(job);
  }

  /** The job reached an end state: its GPUs go back and no timer of it fires any more. */
  end(job: SimJob): void {
    job.stage = "ended";
    job.terminating = null;
    job.gen++;
    this.hooks.release(job);
    this.hooks.ended(job);
  }
}
