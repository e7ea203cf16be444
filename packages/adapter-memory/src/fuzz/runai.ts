import fc from "fast-check";
import { formatDuration } from "../simulator/duration.js";

/**
 * Run:ai's part of a generated scenario: projects with GPU quotas (and interactive timeouts), a
 * node pool, timings, training, interactive and distributed jobs (preemptible or not, with their
 * workers, back-off limits, failing pulls and scripted container exits), deletes and scheduler
 * outages. Raw choices are mapped to valid fields, so every shrink stays a valid scenario.
 *
 * @module
 */

/** Run:ai's part of a scenario as written. */
export interface RunaiPart {
  readonly runai?: Record<string, unknown>;
  readonly resources: readonly Record<string, unknown>[];
  readonly events: readonly Record<string, unknown>[];
}

const seconds = (s: number) => formatDuration(s * 1000);

const attempt = fc.record({
  runs: fc.option(fc.integer({ min: 1, max: 1800 }), { nil: undefined }),
  exit: fc.option(fc.constantFrom(0, 1, 137), { nil: undefined }),
});

const job = fc.record({
  kind: fc.constantFrom("TrainingJob", "InteractiveJob", "DistributedJob"),
  project: fc.nat(),
  gpu: fc.nat(2),
  workers: fc.integer({ min: 1, max: 3 }),
  preemptible: fc.boolean(),
  backoffLimit: fc.option(fc.nat(3), { nil: undefined }),
  pullFailures: fc.oneof(
    { weight: 6, arbitrary: fc.constant(0) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 2 }) },
    { weight: 1, arbitrary: fc.constant("always" as const) },
  ),
  attempts: fc.array(attempt, { minLength: 1, maxLength: 3 }),
  at: fc.nat(1800),
});

const event = fc.oneof(
  fc.record({ at: fc.nat(3600), delete: fc.nat() }),
  fc.record({ at: fc.nat(3600), schedulerDown: fc.integer({ min: 10, max: 900 }) }),
);

const plan = fc.record({
  projects: fc.array(
    fc.record({ gpu: fc.nat(4), timeout: fc.option(fc.integer({ min: 60, max: 3600 }), { nil: undefined }) }),
    { minLength: 1, maxLength: 3 },
  ),
  nodes: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 2 }),
  timing: fc.option(
    fc.record({ pull: fc.integer({ min: 1, max: 20 }), grace: fc.integer({ min: 1, max: 60 }) }),
    { nil: undefined },
  ),
  jobs: fc.array(job, { maxLength: 5 }),
  events: fc.array(event, { maxLength: 3 }),
});

type Plan = typeof plan extends fc.Arbitrary<infer P> ? P : never;

function build(p: Plan): RunaiPart {
  if (p.jobs.length === 0) return { resources: [], events: [] };
  const projects = p.projects.map((_, i) => `project${i}`);
  const resources = p.jobs.map((j, i) => ({
    system: "runai",
    kind: j.kind,
    id: `job${i}`,
    project: projects[j.project % projects.length],
    gpu: j.gpu,
    ...(j.kind === "DistributedJob" && { workers: j.workers }),
    ...(j.kind === "InteractiveJob" && j.preemptible && { preemptible: true }),
    ...(j.kind !== "InteractiveJob" && j.backoffLimit !== undefined && { backoffLimit: j.backoffLimit }),
    ...(j.pullFailures !== 0 && { pullFailures: j.pullFailures }),
    attempts: j.attempts.map((a) =>
      a.runs === undefined ? {} : { runs: seconds(a.runs), ...(a.exit !== undefined && { exit: a.exit }) },
    ),
    ...(j.at > 0 && { at: seconds(j.at) }),
  }));
  const events = p.events.map((e) =>
    "delete" in e
      ? { at: seconds(e.at), system: "runai", delete: `job${e.delete % resources.length}` }
      : { at: seconds(e.at), system: "runai", schedulerDown: seconds(e.schedulerDown) },
  );
  return {
    runai: {
      projects: Object.fromEntries(
        p.projects.map((q, i) => [
          projects[i],
          { gpu: q.gpu, ...(q.timeout !== undefined && { interactiveTimeout: seconds(q.timeout) }) },
        ]),
      ),
      nodes: p.nodes.map((gpu, i) => ({ name: `dgx${i}`, gpu })),
      ...(p.timing && { timing: { pull: seconds(p.timing.pull), grace: seconds(p.timing.grace) } }),
    },
    resources,
    events,
  };
}

/**
 * Run:ai's part of a random scenario (see the module comment).
 *
 * @example
 * ```ts
 * fc.sample(runaiPart(), 1)[0]?.runai; // { projects: { project0: { gpu: 2 } }, nodes: [...] }
 * ```
 */
export const runaiPart = (): fc.Arbitrary<RunaiPart> => plan.map(build);
