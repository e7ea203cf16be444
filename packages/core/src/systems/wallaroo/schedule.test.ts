import { describe, expect, it } from "vitest";
import { DecodeError, TransitionError } from "../../lifecycle/errors.js";
import type { WallarooOrchestration } from "./orchestration.js";
import { lastWallarooRunStatus, wallarooTaskRow } from "./queries.js";
import {
  planWallarooTask,
  type WallarooTaskState,
  wallarooContinuousRestartDelayMs,
  wallarooMaxStartsPerPlan,
} from "./schedule.js";
import { wallarooTask } from "./task.js";
import { createWallarooTask, type WallarooTask, wallarooTaskTypeLabel } from "./task-record.js";
import { applyWallarooPlan, finishWallarooRun, killWallarooTask, pauseWallarooTask } from "./task-state.js";

const orchestration: Pick<WallarooOrchestration, "id" | "status" | "workspaceId" | "workspaceName"> = {
  id: "d9fa4b3b-d4bf-4e45-8c1a-a4318e0869c1",
  status: "ready",
  workspaceId: 28,
  workspaceName: "simpleorchestrationworkspace",
};
const args = { workspace_name: "simpleorchestrationworkspace", pipeline_name: "simpleorchestrationpipeline" };
const T0 = "2024-07-16T19:15:47.000Z";
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function task(request: object): WallarooTask {
  const t = createWallarooTask(orchestration, request, { id: "2de50c93", at: T0 });
  if (t instanceof DecodeError) throw t;
  return t;
}

/** Plans and applies at `now`, naming new runs r0, r1, ... */
function tick(state: WallarooTaskState, now: string): WallarooTaskState {
  const next = applyWallarooPlan(state, planWallarooTask(state, now), (i) => `r${state.runs.length + i}`);
  if (next instanceof TransitionError) throw next;
  return next;
}
const ok = <T>(x: T | TransitionError): T => {
  if (x instanceof TransitionError) throw x;
  return x;
};

describe("Wallaroo tasks, as the seed tells them", () => {
  it("run_once: one run at creation; the task ends with the run's outcome and is then inactive", () => {
    let s: WallarooTaskState = {
      task: task({ type: "once", name: "simpletaskdemo", jsonArgs: args }),
      runs: [],
    };
    expect(wallarooTaskRow(s.task, s.runs)).toMatchObject({
      last_run_status: "unknown",
      type: "Temporary Run",
      active: true,
      schedule: "-",
    });
    s = tick(s, T0);
    expect(s.task.status).toBe("started");
    expect(s.runs.map((r) => [r.id, r.status, r.createdAt])).toEqual([["r0", "running", T0]]);
    s = ok(finishWallarooRun(s, "r0", "success", at(2)));
    s = tick(s, at(2));
    expect(s.task.status).toBe("success");
    expect(wallarooTaskRow(s.task, s.runs)).toMatchObject({ last_run_status: "success", active: false });
    expect(tick(s, at(600)).runs).toHaveLength(1);
  });

  it("run_scheduled: a run at every match, overlapping ones included, until killed", () => {
    let s: WallarooTaskState = {
      task: task({
        type: "scheduled",
        name: "simple_inference_schedule",
        jsonArgs: args,
        schedule: "*/5 * * * *",
      }),
      runs: [],
    };
    expect(wallarooTaskRow(s.task, s.runs)).toMatchObject({ type: "Scheduled Run", schedule: "*/5 * * * *" });
    const plan = planWallarooTask(s, T0);
    expect(plan.start).toEqual([]);
    expect(plan.nextAt).toBe("2024-07-16T19:20:00.000Z");
    for (const t of ["2024-07-16T19:20:00.000Z", "2024-07-16T19:25:00.000Z"]) s = tick(s, t);
    expect(s.runs.map((r) => [r.status, r.scheduledAt])).toEqual([
      ["running", "2024-07-16T19:20:00.000Z"],
      ["running", "2024-07-16T19:25:00.000Z"],
    ]);
    s = ok(killWallarooTask(s, "2024-07-16T19:26:00.000Z"));
    expect(s.task.status).toBe("pending_kill");
    s = tick(s, "2024-07-16T19:26:00.000Z");
    expect(s.task.status).toBe("killed");
    expect(s.runs.map((r) => [r.status, r.reason])).toEqual([
      ["killed", null],
      ["killed", null],
    ]);
    expect(tick(s, "2024-07-16T20:00:00.000Z").runs).toHaveLength(2);
  });

  it("a scheduled task keeps scheduling after a timed-out run", () => {
    let s: WallarooTaskState = {
      task: task({
        type: "scheduled",
        name: "schedule example",
        jsonArgs: args,
        schedule: "*/5 * * * *",
        timeout: 60,
      }),
      runs: [],
    };
    s = tick(s, "2024-07-16T19:20:00.000Z");
    const plan = planWallarooTask(s, "2024-07-16T19:25:00.000Z");
    expect(plan.stop).toEqual([{ runId: "r0", event: "timeOut", at: "2024-07-16T19:21:00.000Z" }]);
    s = tick(s, "2024-07-16T19:25:00.000Z");
    expect(s.runs.map((r) => r.status)).toEqual(["timed_out", "running"]);
    expect(s.task.status).toBe("started");
    expect(lastWallarooRunStatus(s.runs)).toBe("running");
  });

  it("run_continuously: the next run starts 10 s after the previous one ends, failed or not", () => {
    let s: WallarooTaskState = {
      task: task({ type: "continuous", name: "continuoustaskdemo", jsonArgs: args }),
      runs: [],
    };
    expect(wallarooTaskRow(s.task, s.runs).type).toBe("Continuous Run");
    s = tick(s, T0);
    s = ok(finishWallarooRun(s, "r0", "failure", at(3)));
    const plan = planWallarooTask(s, at(3));
    expect(plan.start).toEqual([]);
    expect(Date.parse(plan.nextAt!) - Date.parse(at(3))).toBe(wallarooContinuousRestartDelayMs);
    s = tick(s, plan.nextAt!);
    expect(s.runs.map((r) => r.status)).toEqual(["failure", "running"]);
    expect(s.task.status).toBe("started");
  });

  it("an infinite-loop script under Run Continuously makes one run until killed", () => {
    let s: WallarooTaskState = { task: task({ type: "continuous", name: "loop", jsonArgs: {} }), runs: [] };
    s = tick(s, T0);
    expect(planWallarooTask(s, at(60 * 24)).start).toEqual([]);
    expect(planWallarooTask(s, at(60 * 24)).nextAt).toBeNull();
    expect(s.runs).toHaveLength(1);
  });

  it("an end reported at or after the run's deadline is too late: the run timed out at the deadline", () => {
    let s: WallarooTaskState = {
      task: task({ type: "once", name: "t", jsonArgs: {}, timeout: 120 }),
      runs: [],
    };
    s = tick(s, T0);
    s = ok(finishWallarooRun(s, "r0", "success", at(5)));
    expect(s.runs[0]).toMatchObject({ status: "timed_out", updatedAt: at(2) });
    expect(tick(s, at(5)).task).toMatchObject({ status: "timed_out", lastTransitionTime: at(2) });
  });

  it("planning late starts every missed match, at most 100 at a time, then asks to plan again at once", () => {
    let s: WallarooTaskState = {
      task: task({ type: "scheduled", name: "every minute", jsonArgs: {}, schedule: "* * * * *" }),
      runs: [],
    };
    const late = at(250);
    const plan = planWallarooTask(s, late);
    expect(plan.start).toHaveLength(wallarooMaxStartsPerPlan);
    expect(plan.nextAt).toBe(late);
    for (let i = 0; i < 3; i++) s = tick(s, late);
    // T0 is 19:15:47: the matches are the whole minutes 19:16, 19:17, ... up to 23:25 (250 of them).
    const minute = (i: number) => new Date(Date.parse("2024-07-16T19:16:00Z") + i * 60_000).toISOString();
    expect(s.runs.map((r) => r.scheduledAt)).toEqual(Array.from({ length: 250 }, (_, i) => minute(i)));
    expect(planWallarooTask(s, late).nextAt).toBe(minute(250));
  });

  it("killing twice changes nothing: the second kill returns the same state", () => {
    const s = tick({ task: task({ type: "once", name: "t", jsonArgs: {} }), runs: [] }, T0);
    const once = ok(killWallarooTask(s, at(1)));
    expect(ok(killWallarooTask(once, at(2)))).toBe(once);
    const killed = tick(once, at(1));
    expect(ok(killWallarooTask(killed, at(3)))).toBe(killed);
  });
});

describe("creating a task", () => {
  it("is refused from an orchestration that is not ready, naming its status", () => {
    const err = createWallarooTask(
      { ...orchestration, status: "packaging" },
      { type: "once", name: "t", jsonArgs: {} },
      {
        id: "x",
        at: T0,
      },
    );
    expect(err).toBeInstanceOf(DecodeError);
    expect((err as DecodeError).issues).toEqual([
      expect.objectContaining({ path: "orchestration.status", value: "packaging" }),
    ]);
  });

  it("lists every problem at once: orchestration not ready and a bad schedule", () => {
    const err = createWallarooTask(
      { ...orchestration, status: "error" },
      { type: "scheduled", name: "s", jsonArgs: {}, schedule: "61 * * * *" },
      { id: "x", at: T0 },
    ) as DecodeError;
    expect(err.issues.map((i) => [i.path, i.value])).toEqual([
      ["orchestration.status", "error"],
      ["schedule.minute", "61"],
    ]);
  });

  it("refuses a timeout on Run Continuously, a non-positive timeout and missing json_args, naming each", () => {
    const err = (r: object) =>
      (createWallarooTask(orchestration, r, { id: "x", at: T0 }) as DecodeError).issues;
    expect(err({ type: "continuous", name: "c", jsonArgs: {}, timeout: 5 })).toEqual([
      { path: "timeout", value: 5, expected: "no such field" },
    ]);
    expect(err({ type: "once", name: "o", jsonArgs: {}, timeout: 0 })[0]).toMatchObject({
      path: "timeout",
      value: 0,
    });
    expect(err({ type: "once", name: "o" })[0]).toMatchObject({ path: "jsonArgs" });
  });
});

describe("the experimental pause (wallaroo 2026.1.3 Task._pause, Task._resume)", () => {
  it("pauses a scheduled task at the next plan; no match starts while paused; matches count again from the resume", () => {
    let s: WallarooTaskState = {
      task: task({ type: "scheduled", name: "p", jsonArgs: args, schedule: "*/5 * * * *" }),
      runs: [],
    };
    s = tick(s, at(5)); // the 19:20 match starts r0
    expect(s.runs).toHaveLength(1);
    s = ok(pauseWallarooTask(s, "pause", at(6)));
    expect(s.task.status).toBe("pending_pause");
    s = tick(s, at(6));
    expect(s.task.status).toBe("paused");
    expect(lcStatus(s)).toMatchObject({ columns: { experimental: true } });
    s = tick(s, at(30));
    expect(s.runs).toHaveLength(1); // r0 goes on; no match between 19:21 and 19:45 started
    expect(s.runs[0]?.status).toBe("running");
    s = ok(pauseWallarooTask(s, "resume", at(31)));
    expect(s.task.status).toBe("pending_resume");
    s = tick(s, at(31));
    expect(s.task.status).toBe("started");
    expect(s.runs).toHaveLength(1);
    s = tick(s, at(40)); // the 19:50 and 19:55 matches, after the resume at 19:46:47
    expect(s.runs.map((r) => r.scheduledAt)).toEqual([
      "2024-07-16T19:20:00.000Z",
      "2024-07-16T19:50:00.000Z",
      "2024-07-16T19:55:00.000Z",
    ]);
  });

  it("is refused for a task that is not Run Scheduled, and from a status that is not started (or paused, for resume)", () => {
    let once: WallarooTaskState = { task: task({ type: "once", name: "o", jsonArgs: args }), runs: [] };
    once = tick(once, T0);
    const refused = pauseWallarooTask(once, "pause", at(1));
    expect(refused).toBeInstanceOf(TransitionError);
    expect((refused as Error).message).toMatch(/applies to Run Scheduled tasks only/);
    const fresh: WallarooTaskState = {
      task: task({ type: "scheduled", name: "p", jsonArgs: args, schedule: "*/5 * * * *" }),
      runs: [],
    };
    expect(pauseWallarooTask(fresh, "resume", at(1))).toBeInstanceOf(TransitionError);
  });

  it("a kill works from a paused task", () => {
    let s: WallarooTaskState = {
      task: task({ type: "scheduled", name: "p", jsonArgs: args, schedule: "*/5 * * * *" }),
      runs: [],
    };
    s = tick(s, at(5));
    s = tick(ok(pauseWallarooTask(s, "pause", at(6))), at(6));
    s = tick(ok(killWallarooTask(s, at(7))), at(7));
    expect(s.task.status).toBe("killed");
    expect(s.runs.map((r) => r.status)).toEqual(["killed"]);
  });
});

describe("the task's Type label", () => {
  it('shows the SDK\'s labels, and "Custom Image Run" for any other run type (wallaroo 2026.1.3)', () => {
    expect(
      ["Oneshot", "CronJob", "NetworkService", "CustomImage", ""].map((r) => wallarooTaskTypeLabel(r)),
    ).toEqual(["Temporary Run", "Scheduled Run", "Continuous Run", "Custom Image Run", "Custom Image Run"]);
  });
});

function lcStatus(s: WallarooTaskState) {
  return wallarooTask.status(s.task.status);
}
