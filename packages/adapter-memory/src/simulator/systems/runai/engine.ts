import {
  deriveRunaiStatus,
  type HistoryCause,
  type RunaiObservation,
  runaiKindOf,
  runaiRules,
} from "@phasekit/core";
import { makePrng, type Prng } from "../../../prng.js";
import { Agenda } from "../../agenda.js";
import { formatDuration } from "../../duration.js";
import type { TimelineEntry } from "../../timeline.js";
import type { SystemNote } from "../fields.js";
import { boundStages, newJob, replacePod, type SimJob } from "./job.js";
import { Kubelet } from "./kubelet.js";
import { observationOf } from "./pods.js";
import type { RunaiJobSpec, RunaiScenarioEvent, RunaiSection } from "./scenario.js";
import { fitPods, freeGpus, gpusOf, type Holder, inQuotaUse, reclaimFor } from "./scheduler.js";

/**
 * The Run:ai engine: a node pool, projects with GPU quotas, and the jobs submitted to them, in
 * simulated time. The scheduler queues, places and preempts; the kubelet and the Job controller
 * ({@link Kubelet}) write the pods and Jobs; each job's status is what `deriveRunaiStatus`, the
 * function behind `phasekit explain runai`, reads from those objects. After every action and every
 * scheduling cycle the engine records the status changes and checks its quotas and nodes.
 *
 * Deterministic: the same setup and seed give the same timeline (the seed breaks ties between
 * equally good nodes).
 *
 * @module
 */

/** A timed action: `gen` (when set) must still be the job's generation for it to run. */
export type RunaiAction =
  | { readonly type: "submit"; readonly spec: RunaiJobSpec }
  | { readonly type: "delete"; readonly id: string }
  | { readonly type: "schedulerDown"; readonly for: number }
  | { readonly type: "schedulerUp" }
  | { readonly type: "timeout"; readonly id: string }
  | { readonly type: "job"; readonly id: string; readonly gen: number; readonly step: JobStep };

/** What the kubelet or the Job controller does next to a job's pod. */
export type JobStep =
  | "initDone"
  | "pulled"
  | "pullBackOff"
  | "exit"
  | "crashBackOff"
  | "restart"
  | "newPod"
  | "stopped";

/**
 * A Run:ai cluster in simulated time. Drive it from a scenario (`plan`, then `advanceTo`) or command
 * by command (`submit`, `delete`, `schedulerDown`, `advanceTo`); read `timeline`, `notes`, `jobs`.
 *
 * @example
 * ```ts
 * const engine = new RunaiEngine(runaiSection.parse({ projects: { a: { gpu: 2 } }, nodes: [{ name: "n1", gpu: 4 }] }), 7);
 * engine.submit(runaiJob.parse({ system: "runai", kind: "TrainingJob", id: "t1", project: "a", attempts: [{ runs: "5m" }] }));
 * engine.advanceTo(3_600_000);
 * engine.timeline.at(-1)?.status; // "Succeeded"
 * ```
 */
export class RunaiEngine {
  readonly timeline: TimelineEntry[] = [];
  readonly notes: SystemNote[] = [];
  /** Quota or node breaches found after some step (an invariant: this stays empty). */
  readonly breaches: string[] = [];
  /** Each preemption: when (seconds) and which job. */
  readonly preemptions: { readonly t: number; readonly id: string }[] = [];
  readonly jobs = new Map<string, SimJob>();
  now = 0;
  schedulerUp = true;
  private readonly agenda = new Agenda<RunaiAction>();
  private readonly ties: Prng;
  private readonly kubelet: Kubelet;
  private readonly shown = new Map<string, string>();
  private readonly settled = new Set<string>();
  private seq = 0;
  private downUntil = 0;
  /** The action being performed and the job it concerns (`*`: any job): the cause of what it changes. */
  private acting: { readonly id: string; readonly cause: HistoryCause } | null = null;

  /** `random`: the simulation's random source (or its seed); the engine draws from its `runai/nodes` fork. */
  constructor(
    readonly section: RunaiSection,
    random: Prng | number,
  ) {
    this.ties = (typeof random === "number" ? makePrng(random) : random).fork("runai/nodes");
    this.kubelet = new Kubelet(section, {
      schedule: (at, id, gen, step) => this.agenda.schedule(at, { type: "job", id, gen, step }),
      timeout: (at, id) => this.agenda.schedule(at, { type: "timeout", id }),
      ended: (job) => this.ended(job),
      release: (job) => this.release(job),
      requeue: (job) => replacePod(job, this.now, this.seq++),
    });
  }

  /** Schedules the scenario's jobs and events. */
  plan(jobs: readonly RunaiJobSpec[], events: readonly RunaiScenarioEvent[]): void {
    for (const spec of jobs) this.agenda.schedule(spec.at, { type: "submit", spec });
    for (const e of events) {
      if (e.delete !== undefined) this.agenda.schedule(e.at, { type: "delete", id: e.delete });
      else if (e.schedulerDown !== undefined)
        this.agenda.schedule(e.at, { type: "schedulerDown", for: e.schedulerDown });
    }
  }

  /** Seconds since the start, as the timeline shows them. */
  get t(): number {
    return this.now / 1000;
  }

  /** Submits a job now (`runai submit`). */
  submit(spec: RunaiJobSpec): void {
    this.perform({ type: "submit", spec });
  }

  /** The Researcher deletes a job now (`runai delete job`). */
  delete(id: string): void {
    this.perform({ type: "delete", id });
  }

  /** The Run:ai scheduler stops now, for `ms` milliseconds. */
  schedulerDown(ms: number): void {
    this.perform({ type: "schedulerDown", for: ms });
  }

  /** When the next action that still matters is due, or undefined when none is. */
  nextDue(): number | undefined {
    this.agenda.dropWhile((a) => a.type === "job" && this.jobs.get(a.id)?.gen !== a.gen);
    return this.agenda.next();
  }

  /** Runs every action due up to `until` (milliseconds), then sets the clock to `until`. */
  advanceTo(until: number): void {
    for (let at = this.nextDue(); at !== undefined && at <= until; at = this.nextDue()) {
      this.now = Math.max(this.now, at);
      for (const action of this.agenda.takeDue(at)) this.perform(action);
    }
    this.now = Math.max(this.now, until);
  }

  private perform(action: RunaiAction): void {
    this.acting = actingOf(action);
    this.apply(action);
    this.observe();
    this.acting = { id: "*", cause: { kind: "rule", by: "scheduler", what: "a scheduling cycle" } };
    this.cycle();
    this.observe();
    this.acting = null;
  }

  private apply(action: RunaiAction): void {
    switch (action.type) {
      case "submit": {
        if (this.jobs.has(action.spec.id)) {
          this.note(action.spec.id, "submit refused: the id is taken");
          return;
        }
        this.jobs.set(action.spec.id, newJob(action.spec, this.seq++, this.now));
        return;
      }
      case "delete":
        this.remove(action.id);
        return;
      case "schedulerDown": {
        this.downUntil = Math.max(this.downUntil, this.now + action.for);
        if (this.schedulerUp)
          this.note("-", `the Run:ai scheduler stops until ${formatDuration(this.downUntil)}`);
        this.schedulerUp = false;
        this.agenda.schedule(this.downUntil, { type: "schedulerUp" });
        return;
      }
      case "schedulerUp": {
        if (this.schedulerUp || this.now < this.downUntil) return;
        this.schedulerUp = true;
        this.note("-", "the Run:ai scheduler runs again");
        return;
      }
      case "timeout": {
        const job = this.jobs.get(action.id);
        if (job && job.stage !== "ended" && job.terminating === null) this.kubelet.timeOut(job, this.now);
        return;
      }
      case "job": {
        const job = this.jobs.get(action.id);
        if (job && job.gen === action.gen) this.kubelet.step(job, action.step, this.now);
      }
    }
  }

  private remove(id: string): void {
    const job = this.jobs.get(id);
    if (!job) {
      this.note(id, "delete refused: no such job");
      return;
    }
    if (job.stage === "ended") {
      this.note(id, "delete: the job has already ended, nothing changes");
      return;
    }
    this.note(id, "deleted by the Researcher");
    job.object.deletion = this.now;
    if (job.terminating !== null) {
      job.terminating = "delete";
      return;
    }
    if (boundStages.includes(job.stage)) {
      this.kubelet.terminate(job, "delete", this.now);
      return;
    }
    // Not on a node: nothing to stop, the pod goes at once.
    job.pod.deletion = this.now;
    job.pod.phase = "Failed";
    this.kubelet.end(job);
  }

  private holders(): Holder[] {
    return [...this.jobs.values()]
      .filter((j) => j.allocation.length > 0)
      .map((j) => ({
        id: j.spec.id,
        project: j.spec.project,
        allocation: j.allocation,
        inQuota: j.inQuota,
        preemptible: j.preemptible,
        terminating: j.terminating !== null,
        boundSeq: j.boundSeq,
      }));
  }

  /**
   * One scheduling cycle: jobs within their project's quota first, then the others, each in the
   * order it entered the queue. A job within quota that does not fit reclaims GPUs from over-quota
   * work; while it waits for them, no over-quota job starts. A non-preemptible job never runs over quota.
   */
  private cycle(): void {
    if (!this.schedulerUp) return;
    const quota = (p: string) => this.section.projects[p]?.gpu ?? 0;
    const demand = (j: SimJob) => j.demand.reduce((n, gpu) => n + gpu, 0);
    const fits = (j: SimJob, hs: Holder[]) =>
      inQuotaUse(hs, j.spec.project) + demand(j) <= quota(j.spec.project);
    const start = this.holders();
    const queued = [...this.jobs.values()]
      .filter((j) => j.stage === "queued" && j.pod.deletion === null)
      .sort((a, b) => Number(fits(b, start)) - Number(fits(a, start)) || a.queuedSeq - b.queuedSeq);
    let reclaiming = false;
    for (const job of queued) {
      const holders = this.holders();
      const inQuota = fits(job, holders);
      if (!inQuota && (!job.preemptible || reclaiming)) {
        this.hold(job, "gated");
        continue;
      }
      const placed = fitPods(freeGpus(this.section.nodes, holders), job.demand, (n) =>
        this.ties.int(0, n - 1),
      );
      if (placed) {
        job.allocation = placed;
        job.inQuota = inQuota;
        job.boundSeq = this.seq++;
        this.kubelet.bind(job, this.now);
        continue;
      }
      if (inQuota) {
        const reclaim = reclaimFor(job.demand, this.section.nodes, holders);
        if (reclaim.action === "preempt")
          for (const id of reclaim.victims) {
            const victim = this.jobs.get(id)!;
            this.note(
              id,
              `preempted: over quota in project ${victim.spec.project}, for ${job.spec.id} within project ${job.spec.project}'s quota`,
            );
            this.preemptions.push({ t: this.t, id });
            this.kubelet.terminate(victim, "preemption", this.now);
          }
        if (reclaim.action !== "none") reclaiming = true;
      }
      this.hold(job, "unschedulable");
    }
  }

  private hold(job: SimJob, why: "gated" | "unschedulable"): void {
    job.pod.unbound = why;
  }

  /** The job's GPUs go back; over-quota jobs of its project that now fit within the quota count in it. */
  private release(job: SimJob): void {
    job.allocation = [];
    job.inQuota = false;
    const project = job.spec.project;
    const quota = this.section.projects[project]?.gpu ?? 0;
    const over = [...this.jobs.values()]
      .filter((j) => j.spec.project === project && j.allocation.length > 0 && !j.inQuota)
      .sort((a, b) => a.boundSeq - b.boundSeq);
    for (const j of over) {
      if (inQuotaUse(this.holders(), project) + gpusOf(j.allocation) <= quota) j.inQuota = true;
    }
  }

  /** A job reached an end state: if the scheduler was down then, Run:ai shows it as Unknown. */
  private ended(job: SimJob): void {
    if (!this.schedulerUp) job.object.unobserved = true;
  }

  /**
   * The Kubernetes objects of a job as they stand now and its attributes: what `deriveRunaiStatus`
   * reads (and what `phasekit explain runai` would read from a dump of them).
   */
  observation(id: string): RunaiObservation | undefined {
    const job = this.jobs.get(id);
    return job && observationOf(job.spec, job.type, job.object, job.pod, job.workers, job.backoffLimit);
  }

  /** Records each job whose derived status (as Run:ai displays it) changed, and checks quotas and nodes. */
  private observe(): void {
    for (const job of this.jobs.values()) {
      // An ended job's objects never change again: once its end was recorded, it needs no new look.
      if (this.settled.has(job.spec.id)) continue;
      if (job.stage === "ended") this.settled.add(job.spec.id);
      const d = deriveRunaiStatus(this.observation(job.spec.id)!);
      const key = `${d.display}/${d.reason}`;
      if (this.shown.get(job.spec.id) === key) continue;
      this.shown.set(job.spec.id, key);
      const kind = runaiKindOf[job.type];
      const a = this.acting;
      const by = d.decidedBy;
      this.timeline.push({
        t: this.t,
        system: "runai",
        kind,
        id: job.spec.id,
        status: d.display,
        reason: d.reason,
        causes: [
          ...(a !== null && (a.id === "*" || a.id === "-" || a.id === job.spec.id) ? [a.cause] : []),
          {
            kind: "rule",
            by: "runai",
            what: `${by.rule}: ${runaiRules[by.rule]} (${by.object} ${by.field}=${by.value})`,
          },
        ],
        facts: {
          resourcesAllocated: d.resourcesAllocated,
          gpus: gpusOf(job.allocation),
          nodes: job.allocation.map((x) => `${x.node}:${x.gpu}`).join(",") || null,
        },
      });
    }
    const holders = this.holders();
    for (const [name, p] of Object.entries(this.section.projects)) {
      const used = inQuotaUse(holders, name);
      if (used > p.gpu)
        this.breaches.push(`t=${this.t}s: project ${name} uses ${used} GPUs within its quota of ${p.gpu}`);
    }
    for (const [node, free] of freeGpus(this.section.nodes, holders))
      if (free < 0) this.breaches.push(`t=${this.t}s: node ${node} is over-committed by ${-free} GPUs`);
    for (const h of holders)
      if (!h.preemptible && !h.inQuota)
        this.breaches.push(`t=${this.t}s: non-preemptible ${h.id} runs over quota`);
  }

  private note(id: string, text: string): void {
    this.notes.push({ t: this.t, system: "runai", id, text });
  }
}

/** The cause of the changes an action makes, and the job it concerns (`-`: the whole cluster). */
function actingOf(action: RunaiAction): { readonly id: string; readonly cause: HistoryCause } {
  switch (action.type) {
    case "submit":
      return {
        id: action.spec.id,
        cause: { kind: "command", by: `project ${action.spec.project}`, what: "runai submit" },
      };
    case "delete":
      return { id: action.id, cause: { kind: "command", by: "Researcher", what: "runai delete job" } };
    case "schedulerDown":
      return { id: "-", cause: { kind: "fault", by: "scenario", what: "the Run:ai scheduler stops" } };
    case "schedulerUp":
      return { id: "-", cause: { kind: "fault", by: "scenario", what: "the Run:ai scheduler runs again" } };
    case "timeout":
      return {
        id: action.id,
        cause: { kind: "rule", by: "runai", what: "the project's interactive timeout" },
      };
    case "job":
      return { id: action.id, cause: { kind: "rule", by: "kubelet", what: action.step } };
  }
}
