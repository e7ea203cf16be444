import { describe, expect, it } from "vitest";
import { DecodeError, TransitionError } from "../../lifecycle/errors.js";
import {
  RayStepsUnfinishedError,
  RayWorkflowAlreadyActiveError,
  RayWorkflowAlreadyExecutedError,
  RayWorkflowNotFoundError,
  RayWorkflowNotResumableError,
  RayWorkflowQueueFullError,
  RayWorkflowStillActiveError,
} from "./errors.js";
import { getRayMetadata, getRayStatus, type RayWorkflows, rayWorkflows } from "./metadata.js";
import { completeRayStep, failRayStep, startRayStep, submitRayStep } from "./step-ops.js";
import { rayWorkflowLifecycle } from "./workflow.js";
import {
  callRayActor,
  cancelRayWorkflow,
  deleteRayWorkflow,
  failRaySystem,
  finishRayWorkflow,
  resumeRayWorkflow,
  runRayWorkflow,
} from "./workflow-ops.js";

const ok = <T>(result: T): Exclude<T, Error> => {
  if (result instanceof Error) throw result;
  return result as Exclude<T, Error>;
};
const fresh = (limits: unknown = {}) => ok(rayWorkflows(limits));
const run = (s: RayWorkflows, workflowId: string, at: number) =>
  ok(runRayWorkflow(s, { workflowId, at })).state;
const finish = (
  s: RayWorkflows,
  workflowId: string,
  at: number,
  outcome: "SUCCESSFUL" | "FAILED" = "SUCCESSFUL",
) => ok(finishRayWorkflow(s, { workflowId, at, outcome })).state;
const status = (s: RayWorkflows, id: string) => getRayStatus(s, id);

describe("run, resume and the queue", () => {
  it("Ray's queuing example end to end: FIFO promotion starts the next run at the time a slot frees", () => {
    let s = fresh({ maxRunning: 2, maxPending: 2 });
    for (const [i, id] of ["w0", "w1", "w2", "w3"].entries()) s = run(s, id, i);
    expect(["w0", "w1", "w2", "w3"].map((id) => status(s, id))).toEqual([
      "RUNNING",
      "RUNNING",
      "PENDING",
      "PENDING",
    ]);
    expect(ok(getRayMetadata(s, "w2")).stats).toEqual({});
    expect(runRayWorkflow(s, { workflowId: "w4", at: 5 })).toBeInstanceOf(RayWorkflowQueueFullError);
    expect(s.storage.has("w4")).toBe(false);
    const ended = ok(finishRayWorkflow(s, { workflowId: "w1", at: 10, outcome: "SUCCESSFUL" }));
    expect(ended.promoted).toBe("w2");
    expect(status(ended.state, "w2")).toBe("RUNNING");
    expect(ok(getRayMetadata(ended.state, "w2")).stats).toEqual({ start_time: 10 });
  });

  it("running a stored id again is refused unless asked to resume; an active one is refused either way", () => {
    let s = finish(run(fresh(), "wf", 1), "wf", 2, "FAILED");
    expect(runRayWorkflow(s, { workflowId: "wf", at: 3 })).toBeInstanceOf(RayWorkflowAlreadyExecutedError);
    expect((runRayWorkflow(s, { workflowId: "wf", at: 3 }) as Error).message).toMatch(
      /^Workflow\[id=wf\] has been executed \(status FAILED\); pass resume: true/,
    );
    s = ok(runRayWorkflow(s, { workflowId: "wf", at: 3, resume: true, metadata: { again: true } })).state;
    expect(ok(getRayMetadata(s, "wf"))).toEqual({
      status: "RUNNING",
      user_metadata: { again: true },
      stats: { start_time: 3 },
    });
    expect(resumeRayWorkflow(s, { workflowId: "wf", at: 4 })).toBeInstanceOf(RayWorkflowAlreadyActiveError);
    expect(runRayWorkflow(s, { workflowId: "wf", at: 4 })).toBeInstanceOf(RayWorkflowAlreadyActiveError);
  });

  it("a resume waits in the queue when every slot is taken, keeping the old start_time and no end_time", () => {
    let s = finish(run(fresh({ maxRunning: 1 }), "a", 1), "a", 2, "FAILED");
    s = run(s, "b", 3);
    const resumed = ok(resumeRayWorkflow(s, { workflowId: "a", at: 4 }));
    expect(resumed.status).toBe("PENDING");
    expect(ok(getRayMetadata(resumed.state, "a")).stats).toEqual({ start_time: 1 });
  });

  it("resuming a SUCCESSFUL workflow changes nothing; a CANCELED or unknown one is refused", () => {
    const done = finish(run(fresh(), "wf", 1), "wf", 2);
    const again = ok(resumeRayWorkflow(done, { workflowId: "wf", at: 3 }));
    expect(again.status).toBe("SUCCESSFUL");
    expect(again.state.storage).toBe(done.storage);
    const canceled = ok(cancelRayWorkflow(run(fresh(), "wf", 1), { workflowId: "wf", at: 2 })).state;
    expect(resumeRayWorkflow(canceled, { workflowId: "wf", at: 3 })).toBeInstanceOf(
      RayWorkflowNotResumableError,
    );
    expect(resumeRayWorkflow(fresh(), { workflowId: "nope", at: 3 })).toBeInstanceOf(
      RayWorkflowNotFoundError,
    );
  });
});

describe("cancel and delete", () => {
  it("canceling a running workflow cancels its unfinished steps and promotes the head of the queue", () => {
    let s = run(run(fresh({ maxRunning: 1 }), "a", 1), "b", 2);
    const { state: withStep, stepId } = ok(submitRayStep(s, { workflowId: "a", func: "f" }));
    s = ok(startRayStep(withStep, { workflowId: "a", stepId, at: 3 })).state;
    const canceled = ok(cancelRayWorkflow(s, { workflowId: "a", at: 4 }));
    expect(canceled.promoted).toBe("b");
    expect(canceled.state.storage.get("a")?.steps.get(stepId)?.record.status).toBe("CANCELED");
    expect(ok(getRayMetadata(canceled.state, "a", stepId)).stats).toEqual({ start_time: 3 });
    expect(status(canceled.state, "b")).toBe("RUNNING");
  });

  it("canceling a queued workflow does nothing, as in Ray 2.47: it stays PENDING and runs once promoted", () => {
    const s = run(run(fresh({ maxRunning: 1 }), "a", 1), "b", 2);
    const r = ok(cancelRayWorkflow(s, { workflowId: "b", at: 3 }));
    expect(r).toMatchObject({ promoted: null, canceled: false, waitsFor: "b" });
    expect(r.state.queue).toEqual(s.queue);
    expect(r.state.storage).toBe(s.storage);
    expect(status(r.state, "b")).toBe("PENDING");
    const after = finish(r.state, "a", 4);
    expect(status(after, "b")).toBe("RUNNING");
    expect(rayWorkflowLifecycle.allowed("PENDING", null).map((e) => e.type)).not.toContain("cancel");
  });

  it("an inactive FAILED or RESUMABLE workflow can be canceled; a SUCCESSFUL one cannot; CANCELED stays as it is", () => {
    const failed = finish(run(fresh(), "wf", 1), "wf", 2, "FAILED");
    expect(status(ok(cancelRayWorkflow(failed, { workflowId: "wf", at: 3 })).state, "wf")).toBe("CANCELED");
    const resumable = failRaySystem(run(fresh(), "wf", 1)).state;
    const canceled = ok(cancelRayWorkflow(resumable, { workflowId: "wf", at: 3 })).state;
    expect(status(canceled, "wf")).toBe("CANCELED");
    expect(ok(cancelRayWorkflow(canceled, { workflowId: "wf", at: 4 })).state.storage).toBe(canceled.storage);
    const done = finish(run(fresh(), "wf", 1), "wf", 2);
    const refused = cancelRayWorkflow(done, { workflowId: "wf", at: 3 });
    expect(refused).toBeInstanceOf(TransitionError);
    expect((refused as TransitionError).message).toMatch(
      /event cancel is not allowed in SUCCESSFUL; allowed here: nothing/,
    );
    expect(cancelRayWorkflow(fresh(), { workflowId: "nope", at: 1 })).toBeInstanceOf(
      RayWorkflowNotFoundError,
    );
  });

  it("delete is refused while the workflow runs or waits; afterwards the id is free for a new run", () => {
    let s = run(run(fresh({ maxRunning: 1 }), "a", 1), "b", 2);
    expect(deleteRayWorkflow(s, { workflowId: "a" })).toBeInstanceOf(RayWorkflowStillActiveError);
    expect(deleteRayWorkflow(s, { workflowId: "b" })).toBeInstanceOf(RayWorkflowStillActiveError);
    s = finish(s, "a", 3);
    s = ok(deleteRayWorkflow(s, { workflowId: "a" })).state;
    expect(getRayStatus(s, "a")).toBeInstanceOf(RayWorkflowNotFoundError);
    expect(deleteRayWorkflow(s, { workflowId: "a" })).toBeInstanceOf(RayWorkflowNotFoundError);
    s = finish(s, "b", 4);
    expect(ok(runRayWorkflow(s, { workflowId: "a", at: 5 })).status).toBe("RUNNING");
    const resumable = failRaySystem(run(fresh(), "c", 1)).state;
    expect(deleteRayWorkflow(resumable, { workflowId: "c" })).not.toBeInstanceOf(Error);
  });
});

describe("the end of a run, steps, and bad input", () => {
  it("a workflow ends only once its steps have finished, and only while it runs", () => {
    let s = run(fresh(), "wf", 1);
    const { state, stepId } = ok(submitRayStep(s, { workflowId: "wf", func: "f" }));
    expect(finishRayWorkflow(state, { workflowId: "wf", at: 2, outcome: "SUCCESSFUL" })).toBeInstanceOf(
      RayStepsUnfinishedError,
    );
    s = ok(startRayStep(state, { workflowId: "wf", stepId, at: 2 })).state;
    s = ok(failRayStep(s, { workflowId: "wf", stepId, at: 3 })).state;
    expect(ok(getRayMetadata(s, "wf", stepId)).stats).toEqual({ start_time: 2 });
    s = finish(s, "wf", 3, "FAILED");
    expect(finishRayWorkflow(s, { workflowId: "wf", at: 4, outcome: "FAILED" })).toBeInstanceOf(
      TransitionError,
    );
    expect(submitRayStep(s, { workflowId: "wf", func: "g" })).toMatchObject({
      _tag: "RayWorkflowNotRunningError",
      message: "Workflow[id=wf] is FAILED: its steps change only while it runs.",
    });
  });

  it("a resume reruns the steps without output and keeps the finished ones", () => {
    let s = run(fresh(), "wf", 1);
    for (const [name, fails, at] of [
      ["ok", false, 2],
      ["bad", true, 4],
    ] as const) {
      const { state, stepId } = ok(submitRayStep(s, { workflowId: "wf", func: name }));
      s = ok(startRayStep(state, { workflowId: "wf", stepId, at })).state;
      const input = { workflowId: "wf", stepId, at: at + 1 };
      s = ok(fails ? failRayStep(s, input) : completeRayStep(s, input)).state;
    }
    s = ok(resumeRayWorkflow(finish(s, "wf", 5, "FAILED"), { workflowId: "wf", at: 10 })).state;
    const steps = s.storage.get("wf")!.steps;
    expect([steps.get("ok")?.record.status, steps.get("bad")?.record.status]).toEqual([
      "SUCCESSFUL",
      "PENDING",
    ]);
    expect(steps.get("bad")?.stats).toEqual({});
    expect(steps.get("ok")?.stats).toEqual({ start_time: 2, end_time: 3 });
  });

  it("time only moves forward: an earlier `at` is refused, naming the field", () => {
    const s = run(fresh(), "wf", 100);
    const refused = finishRayWorkflow(s, { workflowId: "wf", at: 99, outcome: "SUCCESSFUL" });
    expect(refused).toBeInstanceOf(DecodeError);
    expect((refused as DecodeError).issues[0]).toMatchObject({ path: "at", value: 99 });
    expect((runRayWorkflow(s, { workflowId: "x", at: Number.NaN }) as DecodeError).issues[0]?.path).toBe(
      "at",
    );
  });

  it("bad user metadata, ids and outcomes are refused with the path and the value", () => {
    const refused = runRayWorkflow(fresh(), { workflowId: "wf", at: 1, metadata: { when: new Date(0) } });
    expect((refused as DecodeError).issues[0]).toMatchObject({ path: "metadata.when" });
    expect((runRayWorkflow(fresh(), { workflowId: "", at: 1 }) as DecodeError).issues[0]?.path).toBe(
      "workflowId",
    );
    const s = run(fresh(), "wf", 1);
    const outcome = finishRayWorkflow(s, { workflowId: "wf", at: 2, outcome: "DONE" as never });
    expect((outcome as DecodeError).message).toMatch(
      /outcome: got "DONE", expected one of SUCCESSFUL, FAILED/,
    );
    expect((submitRayStep(s, { workflowId: "wf" }) as DecodeError).issues[0]?.path).toBe("func");
    expect(
      (submitRayStep(s, { workflowId: "wf", func: "f", stepType: "LAMBDA" }) as DecodeError).issues[0]?.path,
    ).toBe("stepType");
  });

  it("a virtual actor's calls run one at a time, and a plain workflow id is not an actor", () => {
    const s = ok(callRayActor(fresh(), { actorId: "vid", at: 1 })).state;
    expect(callRayActor(s, { actorId: "vid", at: 2 })).toBeInstanceOf(RayWorkflowAlreadyActiveError);
    const plain = run(fresh(), "wf", 1);
    expect(callRayActor(plain, { actorId: "wf", at: 2 })).toBeInstanceOf(RayWorkflowAlreadyExecutedError);
  });
});
