import { describe, expect, it } from "vitest";
import { TransitionError } from "../../lifecycle/errors.js";
import { lifecycleLaws } from "../../testing/laws.js";
import { wallarooTaskRun as lc, wallarooTaskRunStatuses } from "./task-run.js";

describe("Wallaroo TaskRun", () => {
  it("a run starts running and ends in success, failure or timed_out", () => {
    expect(lc.initial().status).toBe("running");
    expect(lc.replay([{ type: "succeed" }])).toMatchObject({ status: "success", reason: null });
    expect(lc.replay([{ type: "fail" }])).toMatchObject({ status: "failure", reason: null });
    expect(lc.replay([{ type: "timeOut" }])).toMatchObject({ status: "timed_out", reason: null });
  });

  it("a run halted by its task's kill is failure/TaskKilled", () => {
    expect(lc.replay([{ type: "halt" }])).toMatchObject({ status: "failure", reason: "TaskKilled" });
  });

  it("an ended run never changes again", () => {
    for (const end of ["succeed", "fail", "timeOut", "halt"] as const) {
      const ended = lc.replay([{ type: end }]);
      for (const e of lc.events) expect(lc.step(ended as never, e)).toBeInstanceOf(TransitionError);
    }
  });

  it("its statuses are the SDK's run statuses (ListTaskRunsRequestStatus without all)", () => {
    expect([...wallarooTaskRunStatuses]).toEqual(["running", "success", "failure", "timed_out"]);
  });
});

lifecycleLaws(lc, { final: ["success", "failure", "timed_out"] });
