import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RayWorkflowQueueFullError } from "./errors.js";
import { getRayStatus, listRayWorkflows, type RayWorkflows, rayWorkflows } from "./metadata.js";
import { resumeAllRayWorkflows } from "./resume-all.js";
import { failRaySystem, finishRayWorkflow, runRayWorkflow } from "./workflow-ops.js";

/** `list_all` and `resume_all` in Ray 2.47.1's order (`api.py`): formerly running before formerly pending. */

const ok = <T>(result: T): Exclude<T, Error> => {
  if (result instanceof Error) throw result;
  return result as Exclude<T, Error>;
};

const limits = (maxRunning: number, maxPending = -1) =>
  rayWorkflows({ maxRunning, maxPending }) as RayWorkflows;

/** Runs the ids in order at t=1.. (pending ones queue behind the running ones). */
function runAll(state: RayWorkflows, ids: readonly string[]): RayWorkflows {
  return ids.reduce((s, id, i) => ok(runRayWorkflow(s, { workflowId: id, at: i + 1 })).state, state);
}

describe("list_all", () => {
  it("lists RESUMABLE workflows that were running before those that were pending, whatever order they were run in", () => {
    // p1 runs first and fails, freeing its slot: r2 runs, q3 and q4 queue. A restart loses r2, q3, q4.
    let s = runAll(limits(1), ["p1", "r2", "q3", "q4"]);
    expect(listRayWorkflows(s).map(([id, st]) => `${id}:${st}`)).toEqual([
      "p1:RUNNING",
      "r2:PENDING",
      "q3:PENDING",
      "q4:PENDING",
    ]);
    s = ok(finishRayWorkflow(s, { workflowId: "p1", at: 10, outcome: "FAILED" })).state; // r2 promoted
    s = failRaySystem(s).state;
    expect(listRayWorkflows(s, ["RESUMABLE"])).toEqual([
      ["r2", "RESUMABLE"],
      ["q3", "RESUMABLE"],
      ["q4", "RESUMABLE"],
    ]);
    // A pending workflow run before the running one still comes after it.
    let t = runAll(limits(1), ["a", "b"]);
    t = ok(finishRayWorkflow(t, { workflowId: "a", at: 10, outcome: "SUCCESSFUL" })).state; // b promoted
    t = ok(runRayWorkflow(t, { workflowId: "c", at: 11 })).state; // queued behind b
    const u = failRaySystem(ok(runRayWorkflow(limits(1), { workflowId: "x", at: 1 })).state).state;
    expect(listRayWorkflows(u, ["RESUMABLE"])).toEqual([["x", "RESUMABLE"]]);
    t = failRaySystem(t).state;
    expect(listRayWorkflows(t)).toEqual([
      ["a", "SUCCESSFUL"],
      ["b", "RESUMABLE"],
      ["c", "RESUMABLE"],
    ]);
  });

  it("answers a filter of RUNNING and PENDING only from the executors: running first, then pending", () => {
    const s = runAll(limits(1), ["p", "q", "r"]);
    expect(listRayWorkflows(s, ["PENDING", "RUNNING"])).toEqual([
      ["p", "RUNNING"],
      ["q", "PENDING"],
      ["r", "PENDING"],
    ]);
  });

  it("property: in a listing, no RESUMABLE workflow that was pending comes before one that was running", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.constantFrom("run", "finish"), { minLength: 1, maxLength: 12 }),
        (maxRunning, ops) => {
          let s = limits(maxRunning);
          let n = 0;
          let at = 1;
          for (const op of ops) {
            at++;
            if (op === "run") s = ok(runRayWorkflow(s, { workflowId: `w${n++}`, at })).state;
            else if (s.queue.running[0] !== undefined)
              s = ok(finishRayWorkflow(s, { workflowId: s.queue.running[0], at, outcome: "FAILED" })).state;
          }
          const storedBefore = new Map([...s.storage].map(([id, wf]) => [id, wf.record.status]));
          s = failRaySystem(s).state;
          const order = listRayWorkflows(s, ["RESUMABLE"]).map(([id]) => storedBefore.get(id));
          const firstPending = order.indexOf("PENDING");
          return firstPending === -1 || !order.slice(firstPending).includes("RUNNING");
        },
      ),
    );
  });
});

describe("resume_all", () => {
  it("resumes formerly running workflows first, so they take the running slots; FAILED ones only with includeFailed", () => {
    let s = runAll(limits(1), ["f", "r", "p"]);
    s = ok(finishRayWorkflow(s, { workflowId: "f", at: 10, outcome: "FAILED" })).state; // r runs, p waits
    s = failRaySystem(s).state;
    const { state, resumed } = ok(resumeAllRayWorkflows(s, { at: 20 }));
    expect(resumed).toEqual([
      ["r", "RUNNING"],
      ["p", "PENDING"],
    ]);
    expect(getRayStatus(state, "f")).toBe("FAILED");
    const all = ok(resumeAllRayWorkflows(s, { at: 20, includeFailed: true }));
    expect(all.resumed).toEqual([
      ["f", "RUNNING"],
      ["r", "PENDING"],
      ["p", "PENDING"],
    ]);
  });

  it("is all or nothing: when the queue cannot hold them all, nothing is resumed", () => {
    let s = runAll(limits(1, 0), ["a"]);
    s = ok(finishRayWorkflow(s, { workflowId: "a", at: 5, outcome: "FAILED" })).state;
    s = ok(runRayWorkflow(s, { workflowId: "b", at: 6 })).state;
    s = failRaySystem(s).state;
    const refused = resumeAllRayWorkflows(s, { at: 7, includeFailed: true });
    expect(refused).toBeInstanceOf(RayWorkflowQueueFullError);
    expect(getRayStatus(s, "b")).toBe("RESUMABLE");
  });

  it("with nothing to resume returns nothing, and refuses a time earlier than the latest seen", () => {
    const s = runAll(limits(1), ["a"]);
    expect(ok(resumeAllRayWorkflows(s, { at: 5 })).resumed).toEqual([]);
    expect(resumeAllRayWorkflows(s, { at: 0 })).toBeInstanceOf(Error);
  });
});
