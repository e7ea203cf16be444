import { DecodeError, decodeRunaiObjects, deriveRunaiStatus, runaiObservations } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { RunaiEngine } from "./engine.js";
import { runaiInvariants } from "./invariants.js";
import { type RunaiJobSpec, runaiJob, runaiSection } from "./scenario.js";

/** Given a node pool and projects, when jobs are submitted and time passes, then they show these statuses. */

const engine = (projects: Record<string, number>, nodes: number[], seed = 1) =>
  new RunaiEngine(
    runaiSection.parse({
      projects: Object.fromEntries(Object.entries(projects).map(([p, gpu]) => [p, { gpu }])),
      nodes: nodes.map((gpu, i) => ({ name: `n${i}`, gpu })),
    }),
    seed,
  );
const job = (input: Record<string, unknown>): RunaiJobSpec =>
  runaiJob.parse({ system: "runai", kind: "TrainingJob", project: "a", ...input });
const statuses = (e: RunaiEngine, id: string) =>
  e.timeline.filter((x) => x.id === id).map((x) => (x.reason ? `${x.status}/${x.reason}` : x.status));
const last = (e: RunaiEngine, id: string) => statuses(e, id).at(-1);
const held = (e: RunaiEngine) => runaiInvariants(e).filter((i) => !i.held);

describe("the Run:ai engine", () => {
  it("the objects it writes, read as `phasekit explain runai` reads a dump of them, show the status its timeline shows", () => {
    const e = engine({ a: 1, b: 1 }, [2]);
    e.submit(job({ id: "t1", project: "b", gpu: 2, attempts: [{ runs: "5m", exit: 1 }, { runs: "5m" }] }));
    e.submit(
      job({
        id: "i1",
        kind: "InteractiveJob",
        gpu: 0,
        pullFailures: 1,
        attempts: [{ runs: "1m", exit: 3 }, {}],
      }),
    );
    e.submit(job({ id: "d1", kind: "DistributedJob", gpu: 1, workers: 1 }));
    for (let t = 0; t <= 1_200_000; t += 7_000) {
      e.advanceTo(t);
      for (const id of ["t1", "i1", "d1"]) {
        const o = e.observation(id)!;
        const dumped = JSON.parse(
          JSON.stringify({ kind: "List", items: [...(o.job ? [o.job] : []), ...o.pods] }),
        );
        const objects = decodeRunaiObjects(dumped, "dump.json");
        if (objects instanceof DecodeError) throw objects;
        const { type, preemptible, schedulerRunning } = o.attributes;
        const groups = runaiObservations(objects, "dump.json", { type, preemptible, schedulerRunning });
        if (groups instanceof DecodeError) throw groups;
        expect(groups).toHaveLength(1);
        const d = deriveRunaiStatus(groups[0]!.observation);
        expect(d.reason ? `${d.display}/${d.reason}` : d.display, `${id} at ${t / 1000}s`).toBe(last(e, id));
      }
    }
    expect(held(e)).toEqual([]);
  });

  it("a training job with backoffLimit 0 goes from Running straight to Fail after one failed attempt", () => {
    const e = engine({ a: 1 }, [1]);
    e.submit(job({ id: "t", backoffLimit: 0, attempts: [{ runs: "1m", exit: 1 }] }));
    e.advanceTo(3_600_000);
    expect(statuses(e, "t")).toEqual(["Pending", "ContainerCreating", "Running", "Fail"]);
    expect(e.jobs.get("t")!.object.failures).toBe(1);
  });

  it("preemption takes over-quota work only, the newest first, never a job within quota or a non-preemptible one", () => {
    const e = engine({ a: 2, b: 1 }, [4]);
    e.submit(job({ id: "b-in", project: "b", gpu: 1 }));
    e.submit(job({ id: "a-shell", kind: "InteractiveJob", gpu: 1 }));
    e.advanceTo(60_000);
    e.submit(job({ id: "b-over-1", project: "b", gpu: 1 }));
    e.advanceTo(120_000);
    e.submit(job({ id: "b-over-2", project: "b", gpu: 1 }));
    e.advanceTo(180_000);
    e.submit(job({ id: "a-train", gpu: 1 }));
    e.advanceTo(600_000);
    expect(e.preemptions.map((p) => p.id)).toEqual(["b-over-2"]);
    expect(statuses(e, "b-over-2").slice(-4)).toEqual([
      "Running",
      "Terminating",
      "Pending",
      "Pending/NotEnoughResources",
    ]);
    for (const id of ["b-in", "a-shell", "b-over-1", "a-train"]) expect(last(e, id)).toBe("Running");
    expect(held(e)).toEqual([]);
  });

  it("a non-preemptible interactive job over its project's quota waits in the queue, even with idle GPUs, until the quota has room", () => {
    const e = engine({ a: 1 }, [8]);
    e.submit(job({ id: "first", kind: "InteractiveJob", gpu: 1 }));
    e.submit(job({ id: "second", kind: "InteractiveJob", gpu: 1 }));
    e.submit(job({ id: "third", kind: "InteractiveJob", gpu: 1, preemptible: true }));
    e.advanceTo(60_000);
    expect(last(e, "second")).toBe("Pending/WaitingInQueue");
    expect(last(e, "third")).toBe("Running");
    e.delete("first");
    e.advanceTo(120_000);
    expect(statuses(e, "first").slice(-2)).toEqual(["Terminating", "Deleted"]);
    // first's GPU came back: third, running over quota, now counts within it, so second still waits.
    expect(e.jobs.get("third")!.inQuota).toBe(true);
    expect(last(e, "second")).toBe("Pending/WaitingInQueue");
    e.delete("third");
    e.advanceTo(180_000);
    expect(last(e, "third")).toBe("Deleted");
    expect(last(e, "second")).toBe("Running");
    expect(held(e)).toEqual([]);
  });

  it("while the scheduler is down nothing is placed, and only jobs that end meanwhile are Unknown", () => {
    const e = engine({ a: 4 }, [4]);
    e.submit(job({ id: "during", attempts: [{ runs: "5m" }] }));
    e.submit(job({ id: "after", attempts: [{ runs: "20m" }] }));
    e.advanceTo(60_000);
    e.schedulerDown(600_000);
    e.submit(job({ id: "late", gpu: 1 }));
    e.advanceTo(599_000);
    expect(last(e, "late")).toBe("Pending");
    e.advanceTo(3_600_000);
    expect(last(e, "during")).toBe("Unknown");
    expect(last(e, "after")).toBe("Succeeded");
    expect(statuses(e, "late").slice(0, 2)).toEqual(["Pending", "ContainerCreating"]);
    expect(e.timeline.find((x) => x.id === "late" && x.status === "ContainerCreating")?.t).toBe(660);
  });

  it("a distributed job's workers are placed all together across nodes, or not at all", () => {
    const e = engine({ a: 8 }, [4, 2]);
    e.submit(job({ id: "fits", kind: "DistributedJob", gpu: 2, workers: 3 }));
    e.submit(job({ id: "too-big", kind: "DistributedJob", gpu: 2, workers: 4 }));
    e.advanceTo(60_000);
    expect(new Set(e.jobs.get("fits")!.allocation.map((a) => a.node))).toEqual(new Set(["n0", "n1"]));
    expect(statuses(e, "fits")).toEqual(["Pending", "Init:0/2", "Init:1/2", "PodInitializing", "Running"]);
    expect(statuses(e, "too-big")).toEqual(["Pending", "Pending/NotEnoughResources"]);
  });

  it("deleting a job that waits for a node ends it Deleted at once; deleting an ended job changes nothing", () => {
    const e = engine({ a: 1 }, [1]);
    e.submit(job({ id: "big", gpu: 2 }));
    e.submit(job({ id: "done", gpu: 0, attempts: [{ runs: "1m" }] }));
    e.advanceTo(300_000);
    e.delete("big");
    e.delete("done");
    expect(statuses(e, "big")).toEqual(["Pending", "Pending/NotEnoughResources", "Deleted"]);
    expect(last(e, "done")).toBe("Succeeded");
    expect(e.notes.map((n) => `${n.id}: ${n.text}`)).toContain(
      "done: delete: the job has already ended, nothing changes",
    );
  });

  it("the same jobs and seed give the same timeline; ties between equal nodes are drawn from the seed", () => {
    const runWith = (seed: number) => {
      const e = engine({ a: 8 }, [2, 2, 2, 2], seed);
      for (let k = 0; k < 4; k++) e.submit(job({ id: `j${k}`, gpu: 1, attempts: [{ runs: `${k + 1}m` }] }));
      e.advanceTo(600_000);
      return {
        timeline: JSON.stringify(e.timeline),
        nodes: [...e.jobs.values()].map((j) => j.pod.node).join(),
      };
    };
    expect(runWith(3)).toEqual(runWith(3));
    const placements = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => runWith(s).nodes));
    expect(placements.size).toBeGreaterThan(1);
  });
});
