import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TransitionError } from "../../lifecycle/errors.js";
import { RayStepIdTakenError, RayStepNotFoundError } from "./errors.js";
import { getRayMetadata, type RayWorkflows, rayWorkflows } from "./metadata.js";
import { completeRayStep, startRayStep, submitRayStep } from "./step-ops.js";
import { rayStepRetries } from "./step-options.js";
import { runRayWorkflow } from "./workflow-ops.js";

const ok = <T>(result: T): Exclude<T, Error> => {
  if (result instanceof Error) throw result;
  return result as Exclude<T, Error>;
};
const running = (workflowId = "wf") => ok(runRayWorkflow(ok(rayWorkflows()), { workflowId, at: 1 })).state;

/** Submits steps with these names in order; returns the ids they got. */
function submitAll(state: RayWorkflows, names: readonly string[], workflowId = "wf") {
  const ids: string[] = [];
  for (const name of names) {
    const submitted = ok(submitRayStep(state, { workflowId, func: "f", name }));
    state = submitted.state;
    ids.push(submitted.stepId);
  }
  return { state, ids };
}

describe("step ids", () => {
  it("steps with the same name get name, name_1, name_2 in submission order, per workflow", () => {
    const { state, ids } = submitAll(running(), ["add", "add", "mul", "add"]);
    expect(ids).toEqual(["add", "add_1", "mul", "add_2"]);
    const other = ok(runRayWorkflow(state, { workflowId: "other", at: 2 })).state;
    expect(submitAll(other, ["add"], "other").ids).toEqual(["add"]);
  });

  it("without a name a step is named after its function, and the metadata shows that name", () => {
    const submitted = ok(submitRayStep(running(), { workflowId: "wf", func: "__main__.add" }));
    expect(submitted.stepId).toBe("__main__.add");
    expect(ok(getRayMetadata(submitted.state, "wf", "__main__.add")).name).toBe("__main__.add");
  });

  it("a generated id that a hand-named step already holds is refused, and nothing changes", () => {
    const { state } = submitAll(running(), ["add", "add_1"]);
    const refused = submitRayStep(state, { workflowId: "wf", func: "f", name: "add" });
    expect(refused).toBeInstanceOf(RayStepIdTakenError);
    expect((refused as Error).message).toMatch(/Step name "add" gives step_id "add_1" in workflow wf/);
    expect(state.storage.get("wf")?.nameCounts.get("add")).toBe(1);
  });

  it("name deduplication is a bijection onto name, name_1, ..., name_(n-1) for each name, in submission order", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("add", "incr", "step"), { maxLength: 40 }), (names) => {
        const { ids } = submitAll(running(), names);
        expect(new Set(ids).size).toBe(ids.length);
        for (const name of new Set(names)) {
          const got = ids.filter((_, i) => names[i] === name);
          expect(got).toEqual(got.map((_, k) => (k === 0 ? name : `${name}_${k}`)));
        }
      }),
    );
  });
});

describe("step moves", () => {
  it("a step starts once and ends once; an unknown step names the ones there are", () => {
    let state = submitAll(running(), ["a"]).state;
    state = ok(startRayStep(state, { workflowId: "wf", stepId: "a", at: 2 })).state;
    expect(startRayStep(state, { workflowId: "wf", stepId: "a", at: 3 })).toBeInstanceOf(TransitionError);
    state = ok(completeRayStep(state, { workflowId: "wf", stepId: "a", at: 3 })).state;
    expect(completeRayStep(state, { workflowId: "wf", stepId: "a", at: 4 })).toBeInstanceOf(TransitionError);
    const unknown = startRayStep(state, { workflowId: "wf", stepId: "b", at: 4 });
    expect(unknown).toBeInstanceOf(RayStepNotFoundError);
    expect((unknown as Error).message).toBe("No such task_id 'b' in workflow 'wf'; its task ids are: a");
  });

  it("reading a step's metadata while it runs shows start_time only, and end_time >= start_time once it ends", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1000 }), (start, duration) => {
        let state = ok(runRayWorkflow(ok(rayWorkflows()), { workflowId: "wf", at: start })).state;
        state = submitAll(state, ["s"]).state;
        state = ok(startRayStep(state, { workflowId: "wf", stepId: "s", at: start })).state;
        expect(ok(getRayMetadata(state, "wf", "s")).stats).toEqual({ start_time: start });
        state = ok(completeRayStep(state, { workflowId: "wf", stepId: "s", at: start + duration })).state;
        const { stats } = ok(getRayMetadata(state, "wf", "s"));
        expect(stats.end_time!).toBeGreaterThanOrEqual(stats.start_time!);
      }),
    );
  });
});

describe("which failures are retried (rayStepRetries)", () => {
  const options = (max_retries: number, retry_exceptions: boolean) => ({ max_retries, retry_exceptions });

  it("Ray 2.x retries an application error only with retry_exceptions, a system error always, fewer than max_retries times", () => {
    expect(rayStepRetries(options(3, false), 1)).toBe(false);
    expect(rayStepRetries(options(3, false), 1, "2.x", "system")).toBe(true);
    expect(rayStepRetries(options(3, true), 3)).toBe(true);
    expect(rayStepRetries(options(3, true), 4)).toBe(false);
    expect(rayStepRetries(options(-1, true), 1)).toBe(false);
  });

  it("property: under 2.x a step is executed at most max_retries + 1 times, and once without retry_exceptions", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1, max: 6 }),
        fc.boolean(),
        fc.constantFrom("application" as const, "system" as const),
        (max, retryExceptions, error) => {
          let executions = 1;
          while (rayStepRetries(options(max, retryExceptions), executions, "2.x", error) && executions < 100)
            executions++;
          const allowed = error === "application" && !retryExceptions ? 1 : Math.max(max, 0) + 1;
          return executions === allowed;
        },
      ),
    );
  });

  it("Ray 1.x retries every raise while max_retries allows, and without end for -1", () => {
    expect(rayStepRetries(options(3, false), 3, "1.x")).toBe(true);
    expect(rayStepRetries(options(3, false), 4, "1.x")).toBe(false);
    expect(rayStepRetries(options(-1, false), 1000, "1.x")).toBe(true);
  });
});
