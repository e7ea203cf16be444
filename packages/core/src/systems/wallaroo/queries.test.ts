import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeError } from "../../lifecycle/errors.js";
import type { WallarooOrchestration } from "./orchestration.js";
import {
  lastWallarooRunStatus,
  lastWallarooRuns,
  listWallarooOrchestrations,
  listWallarooTasks,
  wallarooRunLogs,
  wallarooRunStatusFilters,
  wallarooTaskRow,
} from "./queries.js";
import type { WallarooTaskStatus } from "./task.js";
import type { WallarooTask } from "./task-record.js";
import { type WallarooTaskRun, wallarooTaskRunStatuses } from "./task-run.js";

const t = (minute: number) => new Date(Date.UTC(2024, 6, 16, 19, 0) + minute * 60_000).toISOString();

const arbitraryRun = fc.record({
  id: fc.uuid(),
  status: fc.constantFrom(...wallarooTaskRunStatuses),
  created: fc.integer({ min: 0, max: 60 }),
  length: fc.integer({ min: 0, max: 60 }),
});
const toRun = (r: {
  id: string;
  status: WallarooTaskRun["status"];
  created: number;
  length: number;
}): WallarooTaskRun => ({
  id: r.id,
  taskId: "task",
  status: r.status,
  reason: null,
  message: null,
  lastTransitionTime: t(r.created + r.length),
  createdAt: t(r.created),
  updatedAt: t(r.created + r.length),
  scheduledAt: null,
  logs: [],
  logsDeleted: false,
});
const runs = fc.array(arbitraryRun.map(toRun), { maxLength: 30 });

function task(
  id: string,
  created: number,
  workspaceId: number,
  workspaceName: string,
  status: WallarooTaskStatus = "started",
): WallarooTask {
  return {
    id,
    name: "simpletaskdemo",
    orchestrationId: "o",
    type: "once",
    schedule: null,
    timeoutSeconds: null,
    jsonArgs: {},
    createdAt: t(created),
    updatedAt: t(created),
    workspaceId,
    workspaceName,
    status,
    reason: null,
    message: null,
    lastTransitionTime: t(created),
  };
}

describe("last_runs", () => {
  it("returns runs newest first by updated_at, filtered by status and cut to the limit", () => {
    fc.assert(
      fc.property(
        runs,
        fc.constantFrom(...wallarooRunStatusFilters),
        fc.option(fc.nat(40), { nil: undefined }),
        (rs, status, limit) => {
          const out = lastWallarooRuns(
            rs,
            limit === undefined ? { status } : { status, limit },
          ) as WallarooTaskRun[];
          const matching = rs.filter((r) => status === "all" || r.status === status);
          expect(out.length).toBe(limit === undefined ? matching.length : Math.min(limit, matching.length));
          for (const r of out) expect(matching).toContain(r);
          for (let i = 1; i < out.length; i++)
            expect(Date.parse(out[i - 1]!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(out[i]!.updatedAt));
          // The limit keeps the newest: nothing left out is newer than what was kept.
          const left = matching.filter((r) => !out.includes(r));
          if (out.length > 0)
            for (const r of left)
              expect(Date.parse(r.updatedAt)).toBeLessThanOrEqual(Date.parse(out.at(-1)!.updatedAt));
        },
      ),
    );
  });

  it("defaults to every status and no limit", () => {
    fc.assert(
      fc.property(runs, (rs) => {
        expect(lastWallarooRuns(rs)).toEqual(lastWallarooRuns(rs, { status: "all" }));
        expect((lastWallarooRuns(rs) as WallarooTaskRun[]).length).toBe(rs.length);
      }),
    );
  });

  it("refuses a status outside ListTaskRunsRequestStatus and a bad limit, naming them", () => {
    expect((lastWallarooRuns([], { status: "done" }) as DecodeError).issues).toEqual([
      { path: "status", value: "done", expected: "one of all, running, success, failure, timed_out" },
    ]);
    expect((lastWallarooRuns([], { limit: -1 }) as DecodeError).issues[0]).toMatchObject({
      path: "limit",
      value: -1,
    });
    expect((lastWallarooRuns([], { limit: 1.5 }) as DecodeError).issues[0]).toMatchObject({
      path: "limit",
      value: 1.5,
    });
  });

  it("the last run status is the most recently started run's, unknown before any run", () => {
    expect(lastWallarooRunStatus([])).toBe("unknown");
    fc.assert(
      fc.property(runs, (rs) => {
        const status = lastWallarooRunStatus(rs);
        if (rs.length === 0) {
          expect(status).toBe("unknown");
          return;
        }
        const newest = Math.max(...rs.map((r) => Date.parse(r.createdAt)));
        expect(rs.filter((r) => Date.parse(r.createdAt) === newest).map((r) => r.status)).toContain(status);
      }),
    );
  });
});

describe("logs", () => {
  it("logs(limit) is the tail: the last limit lines, in order", () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.nat(50), (logs, limit) => {
        const tail = wallarooRunLogs({ logs }, { limit }) as string[];
        expect(tail).toEqual(logs.slice(Math.max(0, logs.length - limit)));
        expect(wallarooRunLogs({ logs })).toEqual(logs);
      }),
    );
  });

  it("the seed's log, cut to its last two lines", () => {
    const logs = [
      "2023-22-May 19:59:29 Getting the pipeline orchestrationpipelinetgiq",
      "2023-22-May 19:59:29 Getting arrow table file",
      "2023-22-May 19:59:29 Inference time. Displaying results after.",
    ];
    expect(wallarooRunLogs({ logs }, { limit: 2 })).toEqual(logs.slice(1));
  });
});

describe("list_tasks and list_orchestrations", () => {
  const tasks = [
    task("01e13d2e", 3, 28, "simpleorchestrationworkspace", "killed"),
    task("e44070f4", 31, 30, "simpleorchestrationworkspace2"),
    task("2de50c93", 15, 28, "simpleorchestrationworkspace", "pending_kill"),
    task("5cd594fe", 18, 28, "simpleorchestrationworkspace"),
  ];

  it("lists every task newest first; killed=False keeps killed ones, killed=True keeps only them", () => {
    const ids = (x: unknown) => (x as WallarooTask[]).map((k) => k.id);
    expect(ids(listWallarooTasks(tasks))).toEqual(["e44070f4", "5cd594fe", "2de50c93", "01e13d2e"]);
    expect(ids(listWallarooTasks(tasks, { killed: false }))).toEqual(ids(listWallarooTasks(tasks)));
    expect(ids(listWallarooTasks(tasks, { killed: true }))).toEqual(["2de50c93", "01e13d2e"]);
  });

  it("filters by workspace_id and workspace_name, as in the seed's examples", () => {
    const ids = (x: unknown) => (x as WallarooTask[]).map((k) => k.id);
    expect(ids(listWallarooTasks(tasks, { workspace_id: 30 }))).toEqual(["e44070f4"]);
    expect(ids(listWallarooTasks(tasks, { workspace_name: "simpleorchestrationworkspace" }))).toEqual([
      "5cd594fe",
      "2de50c93",
      "01e13d2e",
    ]);
  });

  it("workspace_id must be an integer and workspace_name a string, as the SDK errors say", () => {
    for (const list of [listWallarooTasks, listWallarooOrchestrations] as const) {
      const byId = list([], { workspace_id: "30" }) as DecodeError;
      expect(byId).toBeInstanceOf(DecodeError);
      expect(byId.issues).toEqual([{ path: "workspace_id", value: "30", expected: "an integer" }]);
      expect((list([], { workspace_id: 30.5 }) as DecodeError).issues[0]).toMatchObject({
        expected: "an integer",
      });
      expect((list([], { workspace_name: 28 }) as DecodeError).issues).toEqual([
        { path: "workspace_name", value: 28, expected: "a string" },
      ]);
    }
    expect((listWallarooTasks([], { killed: "yes" }) as DecodeError).issues[0]).toMatchObject({
      path: "killed",
    });
  });

  it("lists orchestrations newest first and by workspace", () => {
    const o = (id: string, created: number, workspaceId: number): WallarooOrchestration => ({
      id,
      name: null,
      fileName: "remote_inference.zip",
      sha: "0".repeat(64),
      createdAt: t(created),
      updatedAt: t(created + 1),
      workspaceId,
      workspaceName: `w${workspaceId}`,
      status: "ready",
      reason: null,
      message: null,
      lastTransitionTime: null,
    });
    const all = [o("d9fa4b3b", 1, 28), o("b4d4254e", 3, 28), o("b6333bc8", 29, 30)];
    expect((listWallarooOrchestrations(all) as WallarooOrchestration[]).map((x) => x.id)).toEqual([
      "b6333bc8",
      "b4d4254e",
      "d9fa4b3b",
    ]);
    expect(
      (listWallarooOrchestrations(all, { workspace_id: 30 }) as WallarooOrchestration[]).map((x) => x.id),
    ).toEqual(["b6333bc8"]);
  });

  it("a task's row shows active False once killed and the schedule as - when there is none", () => {
    expect(wallarooTaskRow(tasks[0]!, [])).toMatchObject({
      active: false,
      schedule: "-",
      last_run_status: "unknown",
    });
    expect(wallarooTaskRow(tasks[1]!, []).active).toBe(true);
  });
});
