import { RUNAI_INIT_PROGRESS, runai } from "@phasekit/core";
import type { InvariantResult } from "../../invariants.js";
import type { TimelineEntry } from "../../timeline.js";
import { invariant as result } from "../fields.js";
import { machinePaths } from "../paths.js";
import type { RunaiEngine } from "./engine.js";

/**
 * Run:ai's invariants (issue 6), checked at the end of every run and after every command of the
 * model-based test: in-quota use within quotas (checked by the engine after every step), preempted
 * jobs back in the queue or Preempted, Fail only after `backoffLimit` retries, and every status
 * sequence a path of the kind's machine.
 *
 * @module
 */

/** What the checks read from an engine. */
export type RunaiRunView = Pick<RunaiEngine, "breaches" | "preemptions" | "timeline" | "jobs">;

const machineStatus = (shown: string) => (/^Init:\d+\/\d+$/.test(shown) ? RUNAI_INIT_PROGRESS : shown);

/** Each preempted job, once its pods stopped, went back to the queue (Pending) or ended Preempted. */
export function preemptedJobsRequeued(run: RunaiRunView): string[] {
  const problems: string[] = [];
  for (const p of run.preemptions) {
    const job = run.jobs.get(p.id);
    const after = run.timeline.filter((e) => e.id === p.id && e.t >= p.t);
    const terminating = after.findIndex((e) => e.status === "Terminating");
    const next =
      terminating < 0 ? undefined : after.slice(terminating).find((e) => e.status !== "Terminating");
    if (terminating < 0) problems.push(`${p.id}, preempted at ${p.t}s, never showed Terminating`);
    if (next === undefined || next.status === "Pending" || next.status === "Preempted") continue;
    const deleted = job?.object.deletion !== null && next.status === "Deleted";
    const unobserved = job?.object.unobserved === true && next.status === "Unknown";
    if (!deleted && !unobserved)
      problems.push(`${p.id}, preempted at ${p.t}s, went from Terminating to ${next.status} at ${next.t}s`);
  }
  return problems;
}

/** A training or distributed job shows Fail only after backoffLimit retries, each shown as Error. */
export function failOnlyAfterBackoffLimit(run: RunaiRunView): string[] {
  const problems: string[] = [];
  for (const [id, job] of run.jobs) {
    if (job.type === "interactive") continue;
    const shown = run.timeline.filter((e) => e.id === id);
    const errors = shown.filter((e) => e.status === "Error").length;
    const last = shown.at(-1)?.status;
    const { failures } = job.object;
    if (failures > job.backoffLimit + 1)
      problems.push(`${id} failed ${failures} times, more than backoffLimit ${job.backoffLimit} + 1`);
    if (errors > job.backoffLimit)
      problems.push(`${id} showed Error ${errors} times with backoffLimit ${job.backoffLimit}`);
    if (last === "Fail" && (failures !== job.backoffLimit + 1 || errors !== job.backoffLimit))
      problems.push(
        `${id} is Fail after ${failures} failed attempts and ${errors} Errors, with backoffLimit ${job.backoffLimit}`,
      );
  }
  return problems;
}

/** Run:ai's end-of-run invariants. */
export function runaiInvariants(run: RunaiRunView): InvariantResult[] {
  const kinds = runai as Readonly<Record<string, (typeof runai)[keyof typeof runai]>>;
  const paths = machinePaths(
    run.timeline.filter((e: TimelineEntry) => e.system === "runai"),
    (e) => kinds[e.kind],
    machineStatus,
  );
  return [
    result(
      "runai: no project's in-quota use exceeded its quota, no node was over-committed, no non-preemptible job ran over quota",
      run.breaches,
    ),
    result(
      "runai: every preempted job went back to the queue (Pending) or ended Preempted",
      preemptedJobsRequeued(run),
    ),
    result(
      "runai: a training or distributed job failed (Fail) only after backoffLimit retries",
      failOnlyAfterBackoffLimit(run),
    ),
    result("runai: every job's status sequence is a path of its kind's machine", paths),
  ];
}
