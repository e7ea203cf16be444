import { describe, expect, it } from "vitest";
import { runExample, statusesOf as statuses } from "../../examples.test-support.js";
import { renderJsonl, renderText } from "../../render.js";
import type { SimulationResult } from "../../run.js";

/**
 * examples/wallaroo-tasks.yaml: a package packaged in simulated time, a refused package, a scheduled
 * task and a continuous task killed at 3h, a Run Once task timed out. Statuses as the seed
 * (wallaroo-orchestrations.txt) and core's task model predict.
 */

const run = (seed?: number): SimulationResult => runExample("wallaroo-tasks.yaml", seed);

const when = (r: SimulationResult, id: string, status: string) =>
  r.timeline.find((e) => e.id === id && e.status === status)?.t;

describe("examples/wallaroo-tasks.yaml", () => {
  it("keeps every invariant, and the same seed prints the same bytes", () => {
    const first = run();
    const second = run();
    expect(first.invariants.filter((i) => !i.held)).toEqual([]);
    expect(renderJsonl(second)).toBe(renderJsonl(first));
    expect(renderText(second, "wallaroo-tasks")).toBe(renderText(first, "wallaroo-tasks"));
    const line = JSON.parse(renderJsonl(first).split("\n")[0]!);
    expect(Object.keys(line)).toEqual([
      "record",
      "version",
      "t",
      "system",
      "kind",
      "id",
      "status",
      "reason",
      "phase",
    ]);
    expect(line).toMatchObject({ system: "wallaroo", kind: "Orchestration", reason: null, phase: "Pending" });
  });

  it("packages etl-pkg in simulated time and refuses the package with two requirements.txt", () => {
    const r = run();
    expect(statuses(r, "etl-pkg")).toEqual(["pending_packaging", "packaging", "ready"]);
    expect([when(r, "etl-pkg", "packaging"), when(r, "etl-pkg", "ready")]).toEqual([5, 35]);
    expect(statuses(r, "broken-pkg")).toEqual([]);
    const refusal = r.notes.find((n) => n.type === "system" && n.id === "broken-pkg");
    expect(refusal && "text" in refusal && refusal.text).toContain("requirements.txt files");
  });

  it("runs hourly at minute 15 of every hour until the kill: pending_kill at 3h, killed 5 s later, logs deleted", () => {
    const r = run();
    const tasks = r.systems!.wallarooTasks!;
    expect(statuses(r, "hourly")).toEqual(["pending", "started", "pending_kill", "killed"]);
    expect([when(r, "hourly", "pending_kill"), when(r, "hourly", "killed")]).toEqual([10_800, 10_805]);
    const runs = tasks.lastRuns("hourly") as { id: string; status: string; scheduledAt: string }[];
    expect(runs.map((x) => [x.id, x.status, x.scheduledAt])).toEqual([
      ["hourly-run-3", "success", "2026-01-01T02:15:00.000Z"],
      ["hourly-run-2", "success", "2026-01-01T01:15:00.000Z"],
      ["hourly-run-1", "failure", "2026-01-01T00:15:00.000Z"],
    ]);
    expect(tasks.lastRunStatus("hourly")).toBe("success");
    expect(runs.map((x) => tasks.logs(x.id))).toEqual([[], [], []]);
  });

  it("restarts listener 10 s after each run ends and halts its hanging run at the kill", () => {
    const r = run();
    expect(statuses(r, "listener")).toEqual(["pending", "started", "pending_kill", "killed"]);
    expect(statuses(r, "listener-run-1")).toEqual(["running", "failure"]);
    expect(when(r, "listener-run-2", "running")).toBe(when(r, "listener-run-1", "failure")! + 10);
    expect(statuses(r, "listener-run-3")).toEqual(["running", "killed"]);
    expect(when(r, "listener-run-3", "killed")).toBe(10_805);
    expect(r.systems!.wallarooTasks!.lastRunStatus("listener")).toBe("killed");
  });

  it("times backfill's hanging run out after its 10-minute timeout, and keeps its logs (never killed)", () => {
    const r = run();
    expect(statuses(r, "backfill")).toEqual(["pending", "started", "timed_out"]);
    expect(when(r, "backfill-run-1", "timed_out")).toBe(120 + 600);
    expect(r.systems!.wallarooTasks!.logs("backfill-run-1")).toEqual(["backfilling from 2025-01-01"]);
  });
});
