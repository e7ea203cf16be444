import { DecodeError } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { WallarooTasksEngine } from "./engine.js";
import { wallarooTasksInvariants } from "./invariants.js";
import { wallarooOrchestrationResource, wallarooTaskResource } from "./scenario.js";

const orchestration = (extra: Record<string, unknown> = {}) =>
  wallarooOrchestrationResource.parse({
    system: "wallaroo",
    kind: "Orchestration",
    id: "o",
    files: { "main.py": "print('hi')", "requirements.txt": "" },
    ...extra,
  });
const task = (extra: Record<string, unknown>) =>
  wallarooTaskResource.parse({ system: "wallaroo", kind: "Task", id: "t", orchestration: "o", ...extra });
const statuses = (engine: WallarooTasksEngine, id: string) =>
  engine.timeline.filter((e) => e.id === id).map((e) => (e.reason ? `${e.status}/${e.reason}` : e.status));

/** An engine with orchestration `o` uploaded at 0 and ready at 35 s. */
function ready(extra: Record<string, unknown> = {}): WallarooTasksEngine {
  const engine = new WallarooTasksEngine();
  engine.upload(orchestration(extra));
  engine.advanceTo(60_000);
  return engine;
}

describe("WallarooTasksEngine", () => {
  it("packages an upload in simulated time: pending_packaging, packaging after `queued`, ready after `packaging`", () => {
    const engine = ready({ queued: "10s", packaging: "1m" });
    engine.advanceTo(120_000);
    expect(engine.timeline.filter((e) => e.id === "o").map((e) => [e.t, e.status])).toEqual([
      [0, "pending_packaging"],
      [10, "packaging"],
      [70, "ready"],
    ]);
    expect(engine.orchestrations.get("o")?.sha).toMatch(/^[0-9a-f]{64}$/);
  });

  it("ends in error when packaging fails, and refuses a task from it, naming the status", () => {
    const engine = ready({ packagingFails: true });
    engine.create(task({ type: "once" }));
    expect(statuses(engine, "o")).toEqual(["pending_packaging", "packaging", "error"]);
    expect(engine.tasks.has("t")).toBe(false);
    expect(engine.notes.at(-1)?.text).toContain('orchestration.status: got "error", expected ready');
  });

  it("refuses a package that breaks the rules at upload: it never becomes an orchestration", () => {
    const engine = new WallarooTasksEngine();
    engine.upload(orchestration({ files: { "lib/helper.py": "" } }));
    expect(engine.timeline).toEqual([]);
    expect(engine.notes[0]?.text).toContain("no main.py");
  });

  it("runs a Run Once task once: its run's outcome is the task's, its logs and last run status are queryable", () => {
    const engine = ready();
    engine.create(
      task({ type: "once", runs: [{ outcome: "success", takes: "20s", logs: ["a", "b", "c"] }] }),
    );
    engine.advanceTo(3_600_000);
    expect(statuses(engine, "t")).toEqual(["pending", "started", "success"]);
    expect(statuses(engine, "t-run-1")).toEqual(["running", "success"]);
    expect(engine.lastRunStatus("t")).toBe("success");
    expect(engine.logs("t-run-1", { limit: 2 })).toEqual(["b", "c"]);
    expect(engine.lastRuns("t", { limit: "x" })).toBeInstanceOf(DecodeError);
    expect(engine.tasks.get("t")?.runs).toHaveLength(1);
  });

  it("times out a hanging run at the task's timeout", () => {
    const engine = ready();
    engine.create(task({ type: "once", timeout: "90s", runs: [{ outcome: "hang" }] }));
    engine.advanceTo(3_600_000);
    const runEnd = engine.timeline.find((e) => e.id === "t-run-1" && e.status === "timed_out");
    expect(runEnd?.t).toBe(60 + 90);
    expect(statuses(engine, "t")).toEqual(["pending", "started", "timed_out"]);
  });

  it("restarts a continuous task 10 s after each run ends, whatever the outcome, never two at once", () => {
    const engine = ready();
    engine.create(task({ type: "continuous", runs: [{ outcome: "failure", takes: "1m" }] }));
    engine.advanceTo(60_000 + 3 * 70_000);
    const starts = engine.timeline
      .filter((e) => e.kind === "TaskRun" && e.status === "running")
      .map((e) => e.t);
    expect(starts).toEqual([60, 130, 200, 270]);
    expect(wallarooTasksInvariants(engine).filter((i) => !i.held)).toEqual([]);
  });

  it("kills asynchronously: pending_kill now, killed after `takes`, running runs halted, logs deleted, no run after", () => {
    const engine = ready();
    engine.create(
      task({ type: "scheduled", schedule: "*/5 * * * *", runs: [{ outcome: "hang", logs: ["x"] }] }),
    );
    engine.advanceTo(10 * 60_000);
    expect(engine.logs("t-run-1")).toEqual(["x"]);
    engine.kill("t", 30_000);
    expect(engine.tasks.get("t")?.task.status).toBe("pending_kill");
    engine.advanceTo(60 * 60_000);
    expect(statuses(engine, "t")).toEqual(["pending", "started", "pending_kill", "killed"]);
    expect(engine.timeline.find((e) => e.id === "t" && e.status === "killed")?.t).toBe(630);
    expect(statuses(engine, "t-run-2")).toEqual(["running", "killed"]);
    expect(engine.tasks.get("t")?.runs.map((r) => r.logs)).toEqual([[], []]);
    expect(engine.tasks.get("t")?.runs).toHaveLength(2);
    engine.kill("t");
    expect(engine.notes.at(-1)?.text).toBe("kill repeated: no change");
    expect(wallarooTasksInvariants(engine).filter((i) => !i.held)).toEqual([]);
  });

  it("starts no run for a cron match at the very instant of a kill", () => {
    const engine = ready();
    engine.create(task({ type: "scheduled", schedule: "*/5 * * * *" }));
    engine.plan([], [], [{ at: 10 * 60_000, system: "wallaroo", kill: "t", takes: 5_000 }]);
    engine.advanceTo(30 * 60_000);
    expect(engine.tasks.get("t")?.runs.map((r) => r.scheduledAt)).toEqual(["2026-01-01T00:05:00.000Z"]);
    expect(wallarooTasksInvariants(engine).filter((i) => !i.held)).toEqual([]);
  });

  it("pauses and resumes a scheduled task (experimental, wallaroo 2026.1.3): no run while paused, none for the missed matches", () => {
    const engine = ready();
    engine.create(task({ type: "scheduled", schedule: "*/5 * * * *" }));
    engine.plan(
      [],
      [],
      [
        { at: 7 * 60_000, system: "wallaroo", pause: "t", takes: 5_000 },
        { at: 22 * 60_000, system: "wallaroo", resume: "t", takes: 5_000 },
        { at: 40 * 60_000, system: "wallaroo", kill: "t", takes: 5_000 },
      ],
    );
    engine.advanceTo(60 * 60_000);
    expect(statuses(engine, "t")).toEqual([
      "pending",
      "started",
      "pending_pause",
      "paused",
      "pending_resume",
      "started",
      "pending_kill",
      "killed",
    ]);
    expect(engine.tasks.get("t")?.runs.map((r) => r.scheduledAt?.slice(11, 16))).toEqual([
      "00:05",
      "00:25",
      "00:30",
      "00:35",
    ]);
    expect(wallarooTasksInvariants(engine).filter((i) => !i.held)).toEqual([]);
  });
});
