import { describe, expect, it } from "vitest";
import { runExample, statusesOf as statuses } from "../examples.test-support.js";
import { renderJsonl, renderText } from "../render.js";
import type { SimulationResult } from "../run.js";

/**
 * The Run:ai and Ray examples: each runs, keeps every invariant, prints the same bytes for the same
 * seed, and shows the statuses the seeds (runai-job-statuses.txt, ray-workflow-metadata.txt) predict.
 */

const run = (name: string, seed?: number): SimulationResult => runExample(`${name}.yaml`, seed);

const when = (r: SimulationResult, id: string, status: string) =>
  r.timeline.find((e) => e.id === id && e.status === status)?.t;
const notes = (r: SimulationResult) =>
  r.notes.flatMap((n) => (n.type === "system" ? [`${n.id}: ${n.text}`] : []));

const examples = ["runai-preemption", "runai-outage", "ray-resume"];

describe("Run:ai and Ray examples", () => {
  it.each(examples)("%s: every invariant holds, and the same seed prints the same bytes", (name) => {
    const first = run(name);
    const second = run(name);
    expect(first.invariants.filter((i) => !i.held)).toEqual([]);
    expect(renderJsonl(second)).toBe(renderJsonl(first));
    expect(renderText(second, name)).toBe(renderText(first, name));
    expect(first.timeline.every((e) => e.system !== "dyff")).toBe(true);
  });

  it("runai-preemption: over-quota work is preempted for a project within quota, retries follow backoffLimit", () => {
    const r = run("runai-preemption");
    // An interactive preemptible job that is evicted ends Preempted (seed: "Interactive preemptible Job has been evicted").
    expect(statuses(r, "b-notebook")).toEqual([
      "Pending",
      "ContainerCreating",
      "Running",
      "Terminating",
      "Preempted",
    ]);
    expect(when(r, "b-notebook", "Terminating")).toBe(600);
    expect(when(r, "b-notebook", "Preempted")).toBe(630);
    // A training job's error flow: Error, then a new pod, until it succeeds.
    expect(statuses(r, "a-train")).toEqual([
      "Pending",
      "Pending/NotEnoughResources",
      "ContainerCreating",
      "Running",
      "Error",
      "Pending",
      "Pending/NotEnoughResources",
      "ContainerCreating",
      "Running",
      "Succeeded",
    ]);
    // Preemption of a training job: Running -> Terminating -> Pending, then it runs once GPUs are free.
    expect(statuses(r, "b-retrain")).toEqual([
      "Pending",
      "Pending/NotEnoughResources",
      "ContainerCreating",
      "Terminating",
      "Pending",
      "Pending/NotEnoughResources",
      "ContainerCreating",
      "Running",
      "Succeeded",
    ]);
    // backoffLimit 2: two Errors (two retries), then Fail; three failed pods in all.
    const flaky = statuses(r, "a-flaky");
    expect(flaky.filter((s) => s === "Error")).toHaveLength(2);
    expect(flaky.at(-1)).toBe("Fail");
    expect(r.systems?.runai?.jobs.get("a-flaky")?.object.failures).toBe(3);
    // The in-quota job is never preempted.
    expect(statuses(r, "b-train")).toEqual(["Pending", "ContainerCreating", "Running", "Succeeded"]);
    expect(notes(r).filter((n) => n.includes("preempted"))).toHaveLength(2);
  });

  it("runai-outage: pull back-off, CrashLoopBackOff, the queue, TimedOut, distributed init, Unknown and Deleted", () => {
    const r = run("runai-outage");
    expect(statuses(r, "notebook")).toEqual([
      "Pending",
      "ContainerCreating",
      "ErrImagePull",
      "ImagePullBackOff",
      "ErrImagePull",
      "ImagePullBackOff",
      "Running",
      "Error",
      "CrashLoopBackOff",
      "Running",
      "CrashLoopBackOff",
      "Running",
      "TimedOut",
    ]);
    // TimedOut: the project's timeout (30m) after the job first ran.
    expect(when(r, "notebook", "TimedOut")! - when(r, "notebook", "Running")!).toBe(1800);
    // A non-preemptible job over its project's quota waits in the queue until the quota has room.
    expect(statuses(r, "shell").slice(0, 3)).toEqual([
      "Pending",
      "Pending/WaitingInQueue",
      "ContainerCreating",
    ]);
    expect(when(r, "shell", "ContainerCreating")).toBe(when(r, "notebook", "TimedOut"));
    expect(statuses(r, "mpi")).toEqual([
      "Pending",
      "Init:0/2",
      "Init:1/2",
      "PodInitializing",
      "Running",
      "Unknown",
    ]);
    expect(statuses(r, "sweep")).toEqual([
      "Pending",
      "ContainerCreating",
      "Running",
      "Terminating",
      "Deleted",
    ]);
  });

  it("ray-resume: FAILED and RESUMABLE are resumed, the queue is bounded, a canceled run keeps no end_time", () => {
    const r = run("ray-resume");
    expect(statuses(r, "etl")).toEqual([
      "RUNNING",
      "FAILED",
      "PENDING",
      "RESUMABLE",
      "RUNNING",
      "SUCCESSFUL",
    ]);
    expect(statuses(r, "train")).toEqual([
      "PENDING",
      "RUNNING",
      "RESUMABLE",
      "PENDING",
      "RUNNING",
      "SUCCESSFUL",
    ]);
    expect(statuses(r, "etl/transform")).toEqual(["RUNNING", "FAILED", "PENDING", "RUNNING", "SUCCESSFUL"]);
    expect(statuses(r, "report")).toEqual([]);
    expect(notes(r)).toContain(
      "report: run refused: Workflow queue has been full: Workflow[id=report] can neither run nor wait, as all 1 running and 1 pending slots are taken.",
    );
    const ray = r.systems!.ray!;
    // get_metadata after the run, with the seed's semantics.
    const etl = ray.metadata("etl");
    expect(etl).toMatchObject({ status: "SUCCESSFUL", user_metadata: { owner: "ana" } });
    const stats = (etl as { stats: { start_time: number; end_time: number } }).stats;
    // "stats will be updated whenever a workflow is resumed": the resumed run started at 10m.
    expect(stats.end_time - stats.start_time).toBe(180);
    expect(ray.metadata("etl", "load_1")).toMatchObject({
      name: "load",
      user_metadata: { target: "warehouse" },
    });
    expect(ray.metadata("etl", "extract")).toMatchObject({ user_metadata: { source: "s3" } });
    expect(ray.metadata("adhoc")).toMatchObject({ status: "CANCELED" });
    expect((ray.metadata("adhoc") as { stats: object }).stats).not.toHaveProperty("end_time");
    const summary = JSON.parse(renderJsonl(r).trim().split("\n").at(-1)!).summary;
    expect(summary.ray.metadata.etl.steps.load_1.user_metadata).toEqual({ target: "warehouse" });
  });
});
