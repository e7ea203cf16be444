import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeError, TransitionError } from "../../lifecycle/errors.js";
import { parseWallarooCron, type WallarooCron, wallarooCronMatches } from "./cron.js";
import { planWallarooTask, type WallarooTaskState, wallarooContinuousRestartDelayMs } from "./schedule.js";
import { isWallarooTaskActive } from "./task.js";
import { createWallarooTask, type WallarooTaskType } from "./task-record.js";
import { isWallarooTaskRunActive, type WallarooTaskRun } from "./task-run.js";
import {
  appendWallarooRunLogs,
  applyWallarooPlan,
  finishWallarooRun,
  killWallarooTask,
  observeWallarooRun,
} from "./task-state.js";

/** How the n-th run's script behaves: it ends after `durationMs` with `outcome`, or never (null). */
interface RunScript {
  readonly durationMs: number | null;
  readonly outcome: "success" | "failure";
}

interface Scenario {
  readonly type: WallarooTaskType;
  readonly schedule: string;
  readonly timeoutSeconds: number | null;
  readonly createdAt: number;
  readonly scripts: readonly RunScript[];
  /** Milliseconds after creation; null: never killed. */
  readonly killAfterMs: number | null;
  readonly horizonMs: number;
  /** The plan is also asked at every multiple of this after creation, as when other tasks wake the simulator. */
  readonly probeEveryMs: number;
}

const iso = (t: number) => new Date(t).toISOString();
const ok = <T>(x: T | TransitionError): T => {
  if (x instanceof TransitionError) throw x;
  return x;
};

/** One instant of the simulation: the state after everything due at `now` was applied. */
interface Snapshot {
  readonly now: number;
  readonly state: WallarooTaskState;
}

/**
 * Drives a task the way the simulator will: at each instant, runs that end on their own end, then a
 * due kill is issued, then the plan is applied; the next instant is the earliest of the plan's
 * `nextAt`, a run's end, the kill and the next probe.
 */
function simulate(s: Scenario): { snapshots: Snapshot[]; killAt: number | null } {
  const request =
    s.type === "scheduled"
      ? { type: s.type, name: "t", jsonArgs: {}, schedule: s.schedule, ...timeout(s) }
      : s.type === "once"
        ? { type: s.type, name: "t", jsonArgs: {}, ...timeout(s) }
        : { type: s.type, name: "t", jsonArgs: {} };
  const orchestration = { id: "o", status: "ready" as const, workspaceId: 1, workspaceName: "w" };
  const task = createWallarooTask(orchestration, request, { id: "task", at: iso(s.createdAt) });
  if (task instanceof DecodeError) throw task;
  const killAt = s.killAfterMs === null ? null : s.createdAt + s.killAfterMs;
  const horizon = s.createdAt + s.horizonMs;
  const endOf = (r: WallarooTaskRun, i: number) => {
    const d = s.scripts[i % s.scripts.length]!.durationMs;
    return d === null ? null : Date.parse(r.createdAt) + d;
  };
  let state: WallarooTaskState = { task, runs: [] };
  let killed = false;
  const snapshots: Snapshot[] = [];
  let now = s.createdAt;
  for (let guard = 0; ; guard++) {
    if (guard === 20_000) throw new Error("simulate: more than 20000 instants; the scenario is too long");
    state.runs.forEach((r, i) => {
      if (r.status === "running" && endOf(r, i) === now) {
        state = appendWallarooRunLogs(state, r.id, [`${r.id} ends`]);
        state = ok(finishWallarooRun(state, r.id, s.scripts[i % s.scripts.length]!.outcome, iso(now)));
      }
    });
    if (!killed && killAt !== null && killAt <= now) {
      state = ok(killWallarooTask(state, iso(now)));
      killed = true;
    }
    const plan = planWallarooTask(state, iso(now));
    const before = state.runs.length;
    state = ok(applyWallarooPlan(state, plan, (i) => `r${before + i}`));
    for (const r of state.runs.slice(before)) state = appendWallarooRunLogs(state, r.id, [`${r.id} starts`]);
    snapshots.push({ now, state });
    const candidates = [
      plan.nextAt === null ? null : Date.parse(plan.nextAt),
      ...state.runs.map((r, i) => (r.status === "running" ? endOf(r, i) : null)),
      killed ? null : killAt,
      now + s.probeEveryMs - ((now - s.createdAt) % s.probeEveryMs),
    ].filter((t): t is number => t !== null && t >= now);
    // Something still due at `now` (a plan cut at 100 starts) is planned again before time moves on.
    const next =
      candidates.includes(now) && plan.start.length > 0
        ? now
        : Math.min(...candidates.filter((t) => t > now));
    if (!Number.isFinite(next) || next > horizon) break;
    now = next;
  }
  return { snapshots, killAt };
}

function timeout(s: Scenario) {
  return s.timeoutSeconds === null ? {} : { timeout: s.timeoutSeconds };
}

const schedules = [
  "*/5 * * * *",
  "*/7 * * * *",
  "0,30 * * * *",
  "15 * * * *",
  "*/2 9-17 * * MON-FRI",
  "* * * * *",
];
const minute = 60_000;

const arbitraryScenario = (types: readonly WallarooTaskType[]) =>
  fc.record({
    type: fc.constantFrom(...types),
    schedule: fc.constantFrom(...schedules),
    timeoutSeconds: fc.option(fc.integer({ min: 30, max: 1800 }), { nil: null }),
    createdAt: fc
      .integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2025, 0, 1) })
      .map((t) => t - (t % 1000)),
    scripts: fc.array(
      fc.record({
        durationMs: fc.option(fc.integer({ min: 0, max: 40 * minute }), { nil: null, freq: 6 }),
        outcome: fc.constantFrom("success" as const, "failure" as const),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    killAfterMs: fc.option(fc.integer({ min: 0, max: 240 * minute }), { nil: null }),
    horizonMs: fc.integer({ min: 10 * minute, max: 180 * minute }),
    probeEveryMs: fc.integer({ min: 30_000, max: 30 * minute }),
  });

const last = (snapshots: Snapshot[]) => snapshots.at(-1)!.state;

describe("Wallaroo task state, simulated", () => {
  it("kill is final and leaves no active run: no run starts at or after it, every run is halted and its logs deleted", () => {
    fc.assert(
      fc.property(arbitraryScenario(["once", "scheduled", "continuous"]), (scenario) => {
        const { snapshots, killAt } = simulate(scenario);
        if (killAt === null || killAt > scenario.createdAt + scenario.horizonMs) return;
        const after = snapshots.filter((x) => x.now >= killAt);
        expect(after.length).toBeGreaterThan(0);
        for (const { state } of after) {
          expect(state.task.status).toBe("killed");
          expect(isWallarooTaskActive(state.task)).toBe(false);
          expect(state.runs.filter((r) => r.status === "running")).toEqual([]);
          expect(state.runs.every((r) => r.logsDeleted && r.logs.length === 0)).toBe(true);
          expect(state.runs.every((r) => Date.parse(r.createdAt) < killAt)).toBe(true);
        }
      }),
    );
  });

  it("run once makes at most one run, and exactly one when not killed at its creation", () => {
    fc.assert(
      fc.property(arbitraryScenario(["once"]), (scenario) => {
        const { snapshots, killAt } = simulate(scenario);
        for (const { state } of snapshots) expect(state.runs.length).toBeLessThanOrEqual(1);
        expect(last(snapshots).runs).toHaveLength(killAt === scenario.createdAt ? 0 : 1);
      }),
    );
  });

  it("a run once task ends with its run's outcome once the run has ended", () => {
    fc.assert(
      fc.property(arbitraryScenario(["once"]), (scenario) => {
        const { snapshots } = simulate(scenario);
        for (const { state } of snapshots) {
          const run = state.runs[0];
          if (run === undefined || isWallarooTaskRunActive(run) || state.task.status.includes("kill"))
            continue;
          const outcomes: Record<string, string> = {
            success: "success",
            failure: "failed",
            timed_out: "timed_out",
          };
          const expected = outcomes[run.status];
          expect(state.task.status).toBe(expected);
          expect(state.task.lastTransitionTime).toBe(run.updatedAt);
        }
      }),
    );
  });

  it("a continuous task never has two runs at once, and starts the next within one minute of the previous end", () => {
    fc.assert(
      fc.property(arbitraryScenario(["continuous"]), (scenario) => {
        const { snapshots } = simulate(scenario);
        for (const { state } of snapshots) {
          expect(state.runs.filter((r) => r.status === "running").length).toBeLessThanOrEqual(1);
        }
        const runs = last(snapshots).runs;
        for (let i = 1; i < runs.length; i++) {
          const gap = Date.parse(runs[i]!.createdAt) - Date.parse(runs[i - 1]!.updatedAt);
          expect(runs[i - 1]!.status).not.toBe("running");
          expect(gap).toBe(wallarooContinuousRestartDelayMs);
          expect(gap).toBeLessThanOrEqual(60_000);
        }
      }),
    );
  });

  it("scheduled runs start at every cron match after creation and before the kill, whether or not earlier runs ended", () => {
    fc.assert(
      fc.property(arbitraryScenario(["scheduled"]), (scenario) => {
        const { snapshots, killAt } = simulate(scenario);
        const cron = parseWallarooCron(scenario.schedule) as WallarooCron;
        const end = Math.min(
          scenario.createdAt + scenario.horizonMs,
          killAt === null ? Infinity : killAt - 1,
        );
        const matches = wallarooCronMatches(cron, iso(scenario.createdAt), iso(end));
        const runs = last(snapshots).runs;
        expect(runs.map((r) => r.scheduledAt)).toEqual(matches);
        expect(runs.map((r) => r.createdAt)).toEqual(matches);
      }),
    );
  });

  it("a run that outlives its task's timeout is timed_out at its deadline; no run ends on its own after it", () => {
    fc.assert(
      fc.property(arbitraryScenario(["once", "scheduled", "continuous"]), (scenario) => {
        const { snapshots } = simulate(scenario);
        for (const r of last(snapshots).runs) {
          const deadline =
            scenario.timeoutSeconds === null || scenario.type === "continuous"
              ? null
              : Date.parse(r.createdAt) + scenario.timeoutSeconds * 1000;
          if (r.status === "timed_out") expect(Date.parse(r.updatedAt)).toBe(deadline);
          if (r.status === "success" || (r.status === "failure" && r.reason === null))
            expect(deadline === null || Date.parse(r.updatedAt) < deadline).toBe(true);
        }
      }),
    );
  });

  it("replaying the same scenario gives the same runs (the model is deterministic)", () => {
    fc.assert(
      fc.property(arbitraryScenario(["once", "scheduled", "continuous"]), (scenario) => {
        expect(last(simulate(scenario).snapshots)).toEqual(last(simulate(scenario).snapshots));
      }),
      { numRuns: 50 },
    );
  });
});

describe("a run the platform loses track of (unknown, wallaroo 2026.1.3)", () => {
  it("is unknown, not ended: a continuous task starts no next run, and a kill halts it (killed)", () => {
    const orchestration = { id: "o", status: "ready" as const, workspaceId: 1, workspaceName: "w" };
    const task = createWallarooTask(
      orchestration,
      { type: "continuous", name: "t", jsonArgs: {} },
      { id: "task", at: iso(0) },
    );
    if (task instanceof DecodeError) throw task;
    let s: WallarooTaskState = { task, runs: [] };
    s = ok(applyWallarooPlan(s, planWallarooTask(s, iso(0)), (i) => `run-${i}`));
    s = ok(observeWallarooRun(s, "run-0", "lose", iso(1_000)));
    expect(s.runs[0]?.status).toBe("unknown");
    expect(planWallarooTask(s, iso(120_000)).start).toEqual([]);
    expect(observeWallarooRun(s, "run-0", "lose", iso(2_000))).toBeInstanceOf(TransitionError);
    expect(observeWallarooRun(s, "nope", "lose", iso(2_000))).toBeInstanceOf(TransitionError);
    s = ok(killWallarooTask(s, iso(130_000)));
    s = ok(applyWallarooPlan(s, planWallarooTask(s, iso(130_000)), (i) => `late-${i}`));
    expect(s.runs.map((r) => r.status)).toEqual(["killed"]);
    expect(s.task.status).toBe("killed");
  });
});
