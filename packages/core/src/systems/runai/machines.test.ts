import { describe, expect, it } from "vitest";
import { TransitionError } from "../../lifecycle/errors.js";
import type { Lifecycle } from "../../lifecycle/lifecycle.js";
import { systemJson } from "../../spec/json.js";
import { lifecycleLaws } from "../../testing/laws.js";
import type { RunaiPendingEvent } from "./edges.js";
import { runai, runaiSystem } from "./index.js";
import { runaiLifecycleOf } from "./lifecycles.js";
import { INIT_PROGRESS, runaiStatusNames } from "./statuses.js";

/** Walks a lifecycle through statuses by target (`moveTo`), as an observer of Run:ai would. */
function walk(lc: Lifecycle, statuses: readonly (string | readonly [string, string])[]) {
  let record = lc.initial();
  for (const s of statuses) {
    const [status, reason] = typeof s === "string" ? [s, null] : s;
    const next = lc.moveTo(record, { status, reason });
    if (next instanceof Error) return next;
    record = next;
  }
  return record;
}
function accepts(lc: Lifecycle, path: Parameters<typeof walk>[1]) {
  const last = path.at(-1)!;
  expect(walk(lc, path)).toMatchObject(
    typeof last === "string" ? { status: last } : { status: last[0], reason: last[1] },
  );
}
const rejects = (lc: Lifecycle, path: Parameters<typeof walk>[1]) =>
  expect(walk(lc, path)).toBeInstanceOf(TransitionError);

/** The seed's three job kinds (the Workload model is tested in workload.test.ts). */
const jobs = runaiLifecycleOf;

describe("Run:ai flows, as the seed tells them", () => {
  it("the events that carry Pending's reasons are exactly RunaiPendingEvent (what the types promise)", () => {
    const promised: readonly RunaiPendingEvent[] = ["wait", "retry", "requeue", "replace"];
    const carrying = new Set<string>();
    for (const lc of Object.values(jobs) as Lifecycle[])
      for (const e of lc.events) if (e.reason !== null) carrying.add(e.type);
    expect([...carrying].sort()).toEqual([...promised].sort());
  });

  it("success: Pending -> ContainerCreating -> Running -> Succeeded (training and distributed)", () => {
    accepts(runai.TrainingJob, ["ContainerCreating", "Running", "Succeeded"]);
    accepts(runai.DistributedJob, ["ContainerCreating", "Running", "Succeeded"]);
  });

  it("preemption: Running -> Terminating -> Pending, back in the queue", () => {
    for (const lc of Object.values(jobs) as Lifecycle[])
      accepts(lc, ["ContainerCreating", "Running", "Terminating", "Pending"]);
  });

  it("training error: Error, a retry (possibly another node), ..., Fail", () => {
    const attempt = ["ContainerCreating", "Running", "Error"];
    accepts(runai.TrainingJob, [
      ...attempt,
      "Pending",
      ...attempt,
      "ContainerCreating",
      "Running",
      "Error",
      "Fail",
    ]);
    rejects(runai.TrainingJob, [...attempt, "CrashLoopBackOff"]);
  });

  it("interactive error: Error -> CrashLoopBackOff -> retry on the same node, with no limit and no Fail", () => {
    const loop = ["Error", "CrashLoopBackOff", "Running"];
    accepts(runai.InteractiveJob, ["ContainerCreating", "Running", ...loop, ...loop, ...loop]);
    expect(Object.keys(runai.InteractiveJob.spec.statuses)).not.toContain("Fail");
    rejects(runai.InteractiveJob, ["ContainerCreating", "Running", "Error", "Pending"]);
  });

  it("an interactive job never reaches Succeeded; it ends Deleted, TimedOut or Preempted", () => {
    expect(Object.keys(runai.InteractiveJob.spec.statuses)).not.toContain("Succeeded");
    accepts(runai.InteractiveJob, ["ContainerCreating", "Running", "Terminating", "Deleted"]);
    accepts(runai.InteractiveJob, ["ContainerCreating", "Running", "TimedOut"]);
    accepts(runai.InteractiveJob, ["ContainerCreating", "Running", "Terminating", "Preempted"]);
    rejects(runai.TrainingJob, ["ContainerCreating", "Running", "Terminating", "Preempted"]);
    rejects(runai.TrainingJob, ["ContainerCreating", "Running", "TimedOut"]);
  });

  it("image pull failures: ErrImagePull <-> ImagePullBackOff, then Running or ContainerCannotRun", () => {
    for (const lc of Object.values(jobs)) {
      accepts(lc, [
        "ContainerCreating",
        "ErrImagePull",
        "ImagePullBackOff",
        "ErrImagePull",
        "ImagePullBackOff",
        "Running",
      ]);
      accepts(lc, ["ContainerCreating", "ErrImagePull", "ImagePullBackOff", "ContainerCannotRun"]);
    }
  });

  it("ContainerCannotRun, Fail, Succeeded and the other end states accept nothing", () => {
    for (const lc of Object.values(jobs) as Lifecycle[])
      for (const [name, st] of Object.entries(lc.spec.statuses))
        if (st.terminal) expect(lc.allowed(name, null), `${lc.kind}/${name}`).toEqual([]);
  });

  it("Unknown: any non-terminal status may end as Unknown (the scheduler was down when the job finished)", () => {
    for (const lc of Object.values(jobs) as Lifecycle[])
      for (const leaf of lc.leaves.filter((l) => !lc.isTerminal(l.status)))
        expect(lc.allowed(leaf.status, leaf.reason).map((e) => e.type)).toContain("finishUnobserved");
  });

  it("distributed: Init:<done>/<total> -> PodInitializing -> Running, and Init:Error -> Init:CrashLoopBackOff -> retry", () => {
    accepts(runai.DistributedJob, [INIT_PROGRESS, "PodInitializing", "Running", "Succeeded"]);
    accepts(runai.DistributedJob, [
      INIT_PROGRESS,
      "Init:Error",
      "Init:CrashLoopBackOff",
      INIT_PROGRESS,
      "PodInitializing",
    ]);
    rejects(runai.TrainingJob, [INIT_PROGRESS]);
  });

  it("distributed: a launcher in Error is still a live pod, so its deletion shows Terminating (a training job's Error pod has exited)", () => {
    // Found by the pod-lifecycle property (seed 745798962): Running -> Error -> a user deletes the pod.
    accepts(runai.DistributedJob, [
      INIT_PROGRESS,
      "PodInitializing",
      "Running",
      "Error",
      "Terminating",
      "Deleted",
    ]);
    rejects(runai.TrainingJob, ["ContainerCreating", "Running", "Error", "Terminating"]);
  });

  it("Pending carries the seed's reasons, and only Pending does", () => {
    accepts(runai.TrainingJob, [["Pending", "NotEnoughResources"], "ContainerCreating"]);
    accepts(runai.InteractiveJob, [
      ["Pending", "WaitingInQueue"],
      ["Pending", "NotEnoughResources"],
    ]);
    for (const lc of Object.values(jobs) as Lifecycle[])
      for (const [name, st] of Object.entries(lc.spec.statuses))
        expect(st.reasons.length > 0, `${lc.kind}/${name}`).toBe(name === "Pending");
  });

  it("every status of the seed is in some kind, with resourcesAllocated as a column", () => {
    const all = new Set(Object.values(jobs).flatMap((lc) => Object.keys(lc.spec.statuses)));
    expect([...all].sort()).toEqual([...runaiStatusNames].sort());
    for (const lc of Object.values(jobs) as Lifecycle[])
      for (const st of Object.values(lc.spec.statuses))
        expect(typeof st.columns?.resourcesAllocated).toBe("boolean");
  });
});

describe("the JSON reference of Run:ai", () => {
  it("lists the three kinds, and on every status terminal = the seed's End State and a boolean resourcesAllocated", () => {
    const json = systemJson(runaiSystem);
    expect(json.kinds.map((k) => k.name)).toEqual([
      "TrainingJob",
      "InteractiveJob",
      "DistributedJob",
      "Workload",
    ]);
    const seedEndStates = [
      "Succeeded",
      "Deleted",
      "TimedOut",
      "Preempted",
      "ContainerCannotRun",
      "Fail",
      "Unknown",
    ];
    for (const kind of json.kinds.filter((k) => k.name !== "Workload"))
      for (const st of kind.statuses) {
        expect(st.terminal, `${kind.name}/${st.name}`).toBe(seedEndStates.includes(st.name));
        expect(typeof st.resourcesAllocated, `${kind.name}/${st.name}`).toBe("boolean");
      }
  });
});

// End states absorb: nothing follows them, not even Deleted (the seed calls them final).
for (const lc of Object.values(jobs) as Lifecycle[])
  lifecycleLaws(lc, { final: Object.keys(lc.spec.statuses).filter((s) => lc.isTerminal(s)) });
