import { article, entityId } from "@phasekit/core";
import { z } from "zod";
import { countField, durationField } from "../fields.js";

/**
 * The Run:ai part of a scenario file: the `runai:` section (projects with GPU quotas, the node pool
 * the Run:ai scheduler manages, timings), jobs as resources with `system: runai`, and events with
 * `system: runai` (delete a job, a scheduler outage). `docs/scenarios.md` documents every field.
 *
 * @module
 */

/** The kinds of Run:ai job a scenario submits, and the job type each is. */
export const runaiScenarioKinds = {
  TrainingJob: "training",
  InteractiveJob: "interactive",
  DistributedJob: "distributed",
} as const;
export type RunaiScenarioKind = keyof typeof runaiScenarioKinds;

const project = z
  .object({
    /** The project's GPU quota (Run:ai's "deserved" GPUs). */
    gpu: countField,
    /** Interactive jobs of the project stop after this long (TimedOut), counted from their first start. */
    interactiveTimeout: durationField.optional(),
  })
  .strict();

const node = z.object({ name: z.string().min(1, "a non-empty name"), gpu: countField }).strict();

/** How long the simulated kubelet and scheduler take; defaults are Kubernetes' own where it has one. */
const timing = z
  .object({
    /** Pulling an image and creating the container (ContainerCreating). */
    pull: durationField.default(10_000),
    /** Each init container of a distributed launcher (Init:<done>/<total>). */
    init: durationField.default(5_000),
    /** A pod's termination grace period (Terminating): Kubernetes' default is 30s. */
    grace: durationField.default(30_000),
  })
  .strict();

const defaultTiming = { pull: 10_000, init: 5_000, grace: 30_000 };

/** The `runai:` section. */
export const runaiSection = z
  .object({
    projects: z.record(z.string().min(1, "a non-empty project name"), project),
    nodes: z.array(node).min(1, "at least one node"),
    timing: timing.default(defaultTiming),
  })
  .strict();

/** One run of a job's main container: it runs `runs`, then exits with `exit`; without `runs` it runs until stopped. */
const attempt = z
  .object({
    runs: durationField.optional(),
    exit: z
      .number()
      .int("a whole number")
      .min(0, "an exit code from 0 to 255")
      .max(255, "an exit code from 0 to 255")
      .optional(),
  })
  .strict();

/** A Run:ai job, as a resource with `system: runai`. Kind-specific fields are checked across fields. */
export const runaiJob = z
  .object({
    system: z.literal("runai"),
    kind: z.enum(["TrainingJob", "InteractiveJob", "DistributedJob"]),
    id: entityId,
    project: z.string().min(1, "a project name"),
    /** GPUs of the job's pod (of each worker, for a distributed job). */
    gpu: countField.default(1),
    /** DistributedJob: its worker pods (default 2). */
    workers: z.number().int("a whole number").min(1, "1 or more").optional(),
    /** InteractiveJob: ends as Preempted when the scheduler evicts it (default false). */
    preemptible: z.boolean().optional(),
    /** TrainingJob and DistributedJob: retries before Fail (default 6, Kubernetes' default). */
    backoffLimit: countField.optional(),
    /** How many pulls of the image fail before one succeeds; `always`: none ever does. */
    pullFailures: z.union([countField, z.literal("always")]).default(0),
    /** The main container's runs, in order; once they are used up the last one repeats. */
    attempts: z.array(attempt).min(1, "at least one attempt").default([{}]),
    /** When the job is submitted. */
    at: durationField.default(0),
  })
  .strict();

/** A Run:ai event, with `system: runai`: exactly one of `delete` or `schedulerDown`. */
export const runaiEvent = z
  .object({
    at: durationField,
    system: z.literal("runai"),
    /** The Researcher deletes the job (`runai delete job`). */
    delete: entityId.optional(),
    /** The Run:ai scheduler stops for this long: nothing is placed or preempted, jobs that finish meanwhile end Unknown. */
    schedulerDown: durationField.optional(),
  })
  .strict();

export type RunaiSection = z.output<typeof runaiSection>;
export type RunaiProject = RunaiSection["projects"][string];
export type RunaiNode = RunaiSection["nodes"][number];
export type RunaiTiming = RunaiSection["timing"];
export type RunaiJobSpec = z.output<typeof runaiJob>;
export type RunaiAttempt = RunaiJobSpec["attempts"][number];
export type RunaiScenarioEvent = z.output<typeof runaiEvent>;

type Issue = { path: PropertyKey[]; input: unknown; message: string };

/**
 * The checks a field schema cannot state: projects exist, kind-specific fields sit on their kind, an
 * exit code comes with how long the run lasts, events name a Run:ai job and do one thing.
 * Each job and event comes with its path in the scenario file.
 */
export function checkRunai(
  /** Undefined when the file has no `runai:` section; null when it has one that did not decode. */
  section: RunaiSection | null | undefined,
  jobs: readonly { readonly path: PropertyKey[]; readonly job: RunaiJobSpec }[],
  events: readonly { readonly path: PropertyKey[]; readonly event: RunaiScenarioEvent }[],
): Issue[] {
  const issues: Issue[] = [];
  const add = (path: PropertyKey[], input: unknown, message: string) => issues.push({ path, input, message });
  if (section === undefined && jobs.length > 0)
    add(["runai"], undefined, "a runai section (projects and nodes) since the scenario has Run:ai jobs");
  const projects = Object.keys(section?.projects ?? {});
  const names = new Set<string>();
  section?.nodes.forEach((n, i) => {
    if (names.has(n.name)) add(["runai", "nodes", i, "name"], n.name, "a node name used once");
    names.add(n.name);
  });
  for (const { path, job } of jobs) {
    if (section && !projects.includes(job.project))
      add(
        [...path, "project"],
        job.project,
        `one of the runai projects: ${projects.join(", ") || "(none declared)"}`,
      );
    if (job.workers !== undefined && job.kind !== "DistributedJob")
      add(
        [...path, "workers"],
        job.workers,
        `no such field on ${article(job.kind)} (only a DistributedJob has workers)`,
      );
    if (job.preemptible !== undefined && job.kind !== "InteractiveJob")
      add(
        [...path, "preemptible"],
        job.preemptible,
        `no such field on ${article(job.kind)} (training and distributed jobs are always preemptible)`,
      );
    if (job.backoffLimit !== undefined && job.kind === "InteractiveJob")
      add(
        [...path, "backoffLimit"],
        job.backoffLimit,
        "no such field on an InteractiveJob (it restarts without limit, in CrashLoopBackOff)",
      );
    job.attempts.forEach((a, k) => {
      if (a.exit !== undefined && a.runs === undefined)
        add(
          [...path, "attempts", k, "runs"],
          undefined,
          "how long the run lasts before it exits (runs), since it has an exit code",
        );
    });
  }
  const ids = new Set(jobs.map((j) => j.job.id));
  for (const { path, event } of events) {
    const present = (["delete", "schedulerDown"] as const).filter((k) => event[k] !== undefined);
    if (present.length !== 1)
      add(path, event, `exactly one of delete, schedulerDown (got ${present.join(", ") || "none"})`);
    if (event.delete !== undefined && !ids.has(event.delete))
      add([...path, "delete"], event.delete, "the id of a Run:ai job declared in this scenario");
  }
  return issues;
}
