import { describe, expect, it } from "vitest";
import { RayWorkflowNotFoundError } from "./errors.js";
import {
  getRayMetadata,
  getRayStatus,
  listRayWorkflows,
  type RayWorkflows,
  rayWorkflows,
} from "./metadata.js";
import {
  completeRayStep,
  failRayStep,
  type RayStepSubmission,
  startRayStep,
  submitRayStep,
} from "./step-ops.js";
import {
  callRayActor,
  cancelRayWorkflow,
  failRaySystem,
  finishRayWorkflow,
  resumeRayWorkflow,
  runRayWorkflow,
} from "./workflow-ops.js";

/**
 * The seed's examples (`ray-workflow-metadata.txt`), with its assertions, against phasekit's API.
 * Time is simulated: `time.sleep(1)` in a step is a step that takes 1 s between its start and end.
 */

const ok = <T>(result: T): Exclude<T, Error> => {
  if (result instanceof Error) throw result;
  return result as Exclude<T, Error>;
};

type Step = Omit<RayStepSubmission, "workflowId">;

/** Submits a step to a running workflow and runs it from `at` for `duration` seconds. */
function runStep(
  state: RayWorkflows,
  workflowId: string,
  step: Step,
  at: number,
  duration: number,
  raises = false,
) {
  const submitted = ok(submitRayStep(state, { ...step, workflowId }));
  const started = ok(startRayStep(submitted.state, { workflowId, stepId: submitted.stepId, at })).state;
  const input = { workflowId, stepId: submitted.stepId, at: at + duration };
  return {
    ...submitted,
    state: ok(raises ? failRayStep(started, input) : completeRayStep(started, input)).state,
  };
}

/** `f.step(...).run(workflow_id, metadata=)`: a one-step workflow, from `at` for `duration` seconds. */
function runOneStepWorkflow(
  state: RayWorkflows,
  workflowId: string,
  step: Step,
  {
    at,
    duration = 0,
    metadata,
    raises = false,
  }: { at: number; duration?: number; metadata?: unknown; raises?: boolean },
): RayWorkflows {
  const running = ok(runRayWorkflow(state, { workflowId, at, metadata })).state;
  const ran = runStep(running, workflowId, step, at, duration, raises);
  const outcome = raises ? "FAILED" : "SUCCESSFUL";
  return ok(finishRayWorkflow(ran.state, { workflowId, at: at + duration, outcome })).state;
}

/** A virtual actor's method call (`actor.m.options(name=, metadata=).run()`): one step, `duration` seconds. */
function callActor(state: RayWorkflows, actorId: string, step: Step, at: number, duration: number) {
  const running = ok(callRayActor(state, { actorId, at })).state;
  const ran = runStep(running, actorId, { ...step, stepType: "ACTOR_METHOD" }, at, duration);
  return ok(finishRayWorkflow(ran.state, { workflowId: actorId, at: at + duration, outcome: "SUCCESSFUL" }))
    .state;
}

const fresh = () => ok(rayWorkflows());

describe("the seed's metadata examples", () => {
  it("add_example: get_metadata reports SUCCESSFUL with start_time and end_time", () => {
    const state = runOneStepWorkflow(fresh(), "add_example", { func: "__main__.add" }, { at: 100 });
    const workflow_metadata = ok(getRayMetadata(state, "add_example"));
    expect(workflow_metadata.status).toBe("SUCCESSFUL");
    expect("start_time" in workflow_metadata.stats).toBe(true);
    expect("end_time" in workflow_metadata.stats).toBe(true);
  });

  it("add_example_2: a named step's metadata has step_options (the defaults) and its stats", () => {
    const state = runOneStepWorkflow(
      fresh(),
      "add_example_2",
      { func: "__main__.add", name: "add_step" },
      { at: 100 },
    );
    const step_metadata = ok(getRayMetadata(state, "add_example_2", "add_step"));
    expect("step_options" in step_metadata).toBe(true);
    expect(step_metadata.step_options).toEqual({
      step_type: "FUNCTION",
      max_retries: 3,
      catch_exceptions: false,
      retry_exceptions: false,
      allow_inplace: false,
      checkpoint: true,
      ray_options: {},
    });
    // The seed asserts on `workflow_metadata["stats"]` here (left over from the first example); both hold.
    expect("start_time" in step_metadata.stats).toBe(true);
    expect("end_time" in step_metadata.stats).toBe(true);
    expect("start_time" in ok(getRayMetadata(state, "add_example_2")).stats).toBe(true);
  });

  it("add_example_3: user metadata at the workflow level and at the step level", () => {
    const step = { func: "__main__.add", name: "add_step", metadata: { step_k: "step_v" } };
    const state = runOneStepWorkflow(fresh(), "add_example_3", step, {
      at: 100,
      metadata: { workflow_k: "workflow_v" },
    });
    expect(ok(getRayMetadata(state, "add_example_3")).user_metadata).toEqual({ workflow_k: "workflow_v" });
    expect(ok(getRayMetadata(state, "add_example_3", "add_step")).user_metadata).toEqual({
      step_k: "step_v",
    });
  });

  it("Actor: three calls named add get add, add_1, add_2, each with its metadata and a 1 s run", () => {
    let state = callActor(fresh(), "vid", { func: "Actor.__init__" }, 100, 0);
    state = callActor(state, "vid", { func: "Actor.add_v", name: "add", metadata: { k1: "v1" } }, 101, 1);
    state = callActor(state, "vid", { func: "Actor.add_v", name: "add", metadata: { k2: "v2" } }, 102, 1);
    state = callActor(state, "vid", { func: "Actor.add_v", name: "add", metadata: { k3: "v3" } }, 103, 1);
    const meta = (name: string) => ok(getRayMetadata(state, "vid", name));
    expect(meta("add").user_metadata).toEqual({ k1: "v1" });
    expect(meta("add_1").user_metadata).toEqual({ k2: "v2" });
    expect(meta("add_2").user_metadata).toEqual({ k3: "v3" });
    for (const name of ["add", "add_1", "add_2"]) {
      expect(meta(name).stats.end_time!).toBeGreaterThanOrEqual(meta(name).stats.start_time! + 1);
      expect(meta(name).name).toBe("add");
      expect(meta(name).step_options.step_type).toBe("ACTOR_METHOD");
    }
  });

  it("Counter: a nested incr gets incr_1 .. incr_4 with current_n 1 .. 4", () => {
    let state = callActor(fresh(), "counter", { func: "Counter.__init__" }, 100, 0);
    state = ok(callRayActor(state, { actorId: "counter", at: 101 })).state;
    // incr(n): self.n += 1; if n - 1 > 0 it returns self.incr.options(name="incr", metadata={"current_n": self.n}).step(n - 1)
    let self_n = 0;
    let step: Step = {
      func: "Counter.incr",
      name: "incr",
      metadata: { outer_k: "outer_v" },
      stepType: "ACTOR_METHOD",
    };
    for (let n = 5, at = 101; n > 0; n--, at++) {
      const submitted = ok(submitRayStep(state, { ...step, workflowId: "counter" }));
      state = ok(
        startRayStep(submitted.state, { workflowId: "counter", stepId: submitted.stepId, at }),
      ).state;
      self_n += 1;
      step = {
        func: "Counter.incr",
        name: "incr",
        metadata: { current_n: self_n },
        stepType: "ACTOR_METHOD",
      };
      state = ok(completeRayStep(state, { workflowId: "counter", stepId: submitted.stepId, at })).state;
    }
    state = ok(finishRayWorkflow(state, { workflowId: "counter", at: 106, outcome: "SUCCESSFUL" })).state;
    const user = (name: string) => ok(getRayMetadata(state, "counter", name)).user_metadata;
    expect(user("incr")).toEqual({ outer_k: "outer_v" });
    expect(user("incr_1")).toEqual({ current_n: 1 });
    expect(user("incr_2")).toEqual({ current_n: 2 });
    expect(user("incr_3")).toEqual({ current_n: 3 });
    expect(user("incr_4")).toEqual({ current_n: 4 });
  });

  it("Note 1: metadata read while running is what is known so far; a canceled workflow has no end_time", () => {
    let state = ok(runRayWorkflow(fresh(), { workflowId: "simple", at: 100 })).state;
    const { state: submitted, stepId } = ok(
      submitRayStep(state, { workflowId: "simple", func: "__main__.simple" }),
    );
    expect(ok(getRayMetadata(submitted, "simple", stepId)).stats).toEqual({});
    state = ok(startRayStep(submitted, { workflowId: "simple", stepId, at: 101 })).state; // flag.touch()
    let workflow_metadata = ok(getRayMetadata(state, "simple"));
    expect(workflow_metadata.status).toBe("RUNNING");
    expect("start_time" in workflow_metadata.stats).toBe(true);
    expect("end_time" in workflow_metadata.stats).toBe(false);
    expect("end_time" in ok(getRayMetadata(state, "simple", stepId)).stats).toBe(false);

    state = ok(cancelRayWorkflow(state, { workflowId: "simple", at: 110 })).state;
    workflow_metadata = ok(getRayMetadata(state, "simple"));
    expect(workflow_metadata.status).toBe("CANCELED");
    expect("start_time" in workflow_metadata.stats).toBe(true);
    expect("end_time" in workflow_metadata.stats).toBe(false);
    const step_metadata = ok(getRayMetadata(state, "simple", stepId));
    expect("start_time" in step_metadata.stats).toBe(true);
    expect("end_time" in step_metadata.stats).toBe(false);
  });

  it("Note 2: a resumed workflow's stats are updated: later start_time and later end_time", () => {
    const step = { func: "__main__.simple" };
    let state = runOneStepWorkflow(fresh(), "simple", step, { at: 100, duration: 1, raises: true });
    const workflow_metadata_failed = ok(getRayMetadata(state, "simple"));
    expect(workflow_metadata_failed.status).toBe("FAILED");

    state = ok(resumeRayWorkflow(state, { workflowId: "simple", at: 200 })).state; // error_flag.unlink()
    expect(ok(getRayMetadata(state, "simple")).stats).toEqual({ start_time: 200 });
    state = ok(startRayStep(state, { workflowId: "simple", stepId: "__main__.simple", at: 200 })).state;
    state = ok(completeRayStep(state, { workflowId: "simple", stepId: "__main__.simple", at: 201 })).state;
    state = ok(finishRayWorkflow(state, { workflowId: "simple", at: 201, outcome: "SUCCESSFUL" })).state;
    const workflow_metadata_resumed = ok(getRayMetadata(state, "simple"));
    expect(workflow_metadata_resumed.status).toBe("SUCCESSFUL");
    expect(workflow_metadata_resumed.stats.start_time!).toBeGreaterThan(
      workflow_metadata_failed.stats.start_time!,
    );
    expect(workflow_metadata_resumed.stats.end_time!).toBeGreaterThan(
      workflow_metadata_failed.stats.end_time!,
    );
  });
});

describe("get_status and get_metadata agree (ray-project/ray issues 33633, 41980)", () => {
  it("after a system failure, a running workflow is RESUMABLE for get_status, get_metadata and list_all", () => {
    let state = ok(runRayWorkflow(fresh(), { workflowId: "12345", at: 100 })).state;
    state = runStep(state, "12345", { func: "task" }, 100, 0).state;
    state = failRaySystem(state).state;
    expect(getRayStatus(state, "12345")).toBe("RESUMABLE");
    expect(ok(getRayMetadata(state, "12345")).status).toBe("RESUMABLE");
    expect(listRayWorkflows(state, ["RESUMABLE"])).toEqual([["12345", "RESUMABLE"]]);
    expect(state.storage.get("12345")?.record.status).toBe("RUNNING");
    state = ok(resumeRayWorkflow(state, { workflowId: "12345", at: 300 })).state;
    expect(getRayStatus(state, "12345")).toBe("RUNNING");
  });

  it("an unknown id is RayWorkflowNotFoundError for both, and an unknown step names the steps there are", () => {
    expect(getRayStatus(fresh(), "nope")).toBeInstanceOf(RayWorkflowNotFoundError);
    expect(getRayMetadata(fresh(), "nope")).toBeInstanceOf(RayWorkflowNotFoundError);
    // Ray 2.x's wording: get_status raises WorkflowNotFoundError, get_metadata a ValueError.
    expect((getRayStatus(fresh(), "nope") as Error).message).toBe(
      "Workflow[id=nope] was referenced but doesn't exist.",
    );
    const missing = getRayMetadata(fresh(), "nope") as RayWorkflowNotFoundError;
    expect(missing.message).toBe("No such workflow_id 'nope'");
    expect(missing.pythonError).toBe("ValueError");
    const state = runOneStepWorkflow(fresh(), "wf", { func: "f", name: "add" }, { at: 1 });
    expect((getRayMetadata(state, "wf", "add_9") as Error).message).toBe(
      "No such task_id 'add_9' in workflow 'wf'; its task ids are: add",
    );
  });

  it("metadata is a copy: changing what get_metadata returned does not change the stored workflow", () => {
    const state = runOneStepWorkflow(fresh(), "wf", { func: "f", metadata: { list: [1] } }, { at: 1 });
    const read = ok(getRayMetadata(state, "wf", "f"));
    (read.user_metadata.list as number[]).push(2);
    expect(ok(getRayMetadata(state, "wf", "f")).user_metadata).toEqual({ list: [1] });
  });
});
