import * as z from "zod";
import { decode } from "../../decode.js";
import { DecodeError } from "../../lifecycle/errors.js";
import type { WallarooOrchestration } from "./orchestration.js";
import { isWallarooTaskActive, isWallarooTaskKilled } from "./task.js";
import { type WallarooTask, wallarooTaskTypeDisplay } from "./task-record.js";
import type { WallarooTaskRun, WallarooTaskRunStatus } from "./task-run.js";

/**
 * The SDK's read side, pure over records: `task.last_runs(status, limit)`, a task's last run status,
 * `run.logs(limit)`, `list_tasks(killed, workspace_id, workspace_name)` and
 * `list_orchestrations(workspace_id, workspace_name)`. Arguments arrive as untrusted input and are
 * checked as the SDK checks them; a bad one is a {@link DecodeError} naming it.
 */

/**
 * The `status` filter of `last_runs`: the SDK's `ListTaskRunsRequestStatus` (wallaroo 2026.1.3),
 * which cannot select `killed` or `unknown` runs (they are listed with `all`).
 */
export const wallarooRunStatusFilters = ["all", "running", "success", "failure", "timed_out"] as const;
export type WallarooRunStatusFilter = (typeof wallarooRunStatusFilters)[number];

const limit = z
  .number({ error: "a whole number of at least 0" })
  .int({ error: "a whole number of at least 0" })
  .min(0, { error: "a whole number of at least 0" });
const workspaceId = z.number({ error: "an integer" }).int({ error: "an integer" });
const workspaceName = z.string({ error: "a string" });

const lastRunsOptions = z
  .object({ status: z.enum(wallarooRunStatusFilters).default("all"), limit: limit.optional() })
  .strict();
const logsOptions = z.object({ limit: limit.optional() }).strict();
const taskFilter = z
  .object({
    killed: z.boolean({ error: "a boolean" }).default(false),
    workspace_id: workspaceId.optional(),
    workspace_name: workspaceName.optional(),
  })
  .strict();
const orchestrationFilter = z
  .object({ workspace_id: workspaceId.optional(), workspace_name: workspaceName.optional() })
  .strict();

const byTimeDesc =
  <T extends { readonly id: string }>(...keys: ((x: T) => string)[]) =>
  (a: T, b: T): number => {
    for (const key of keys) {
      const d = Date.parse(key(b)) - Date.parse(key(a));
      if (d !== 0) return d;
    }
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  };

/**
 * `task.last_runs(status="all", limit=None)`: the task's runs, newest first by `updatedAt` (ties:
 * newer `createdAt`, then id), filtered by status and cut to `limit`.
 *
 * @example
 * ```ts
 * lastWallarooRuns(runs, { status: "success", limit: 1 }); // the most recently updated successful run
 * lastWallarooRuns(runs, { status: "done" }); // DecodeError: status: got "done", expected one of all, running, ...
 * ```
 */
export function lastWallarooRuns(
  runs: readonly WallarooTaskRun[],
  options: unknown = {},
): WallarooTaskRun[] | DecodeError {
  const o = decode(lastRunsOptions, options, "wallaroo last_runs");
  if (o instanceof DecodeError) return o;
  const sorted = runs
    .filter((r) => o.status === "all" || r.status === o.status)
    .sort(
      byTimeDesc(
        (r) => r.updatedAt,
        (r) => r.createdAt,
      ),
    );
  return o.limit === undefined ? sorted : sorted.slice(0, o.limit);
}

/**
 * A task's "last run status": the status of its most recently started run (newest `createdAt`,
 * ties by id), or `unknown` before any run.
 *
 * @example
 * ```ts
 * lastWallarooRunStatus([]); // "unknown"
 * ```
 */
export function lastWallarooRunStatus(runs: readonly WallarooTaskRun[]): WallarooTaskRunStatus | "unknown" {
  const newest = [...runs].sort(byTimeDesc((r) => r.createdAt))[0];
  return newest?.status ?? "unknown";
}

/**
 * `run.logs(limit=None)`: the run's log lines, oldest first; with a limit, only the last `limit`
 * lines (the tail). A killed task's runs have no logs.
 *
 * @example
 * ```ts
 * wallarooRunLogs({ logs: ["a", "b", "c"] }, { limit: 2 }); // ["b", "c"]
 * ```
 */
export function wallarooRunLogs(
  run: Pick<WallarooTaskRun, "logs">,
  options: unknown = {},
): string[] | DecodeError {
  const o = decode(logsOptions, options, "wallaroo logs");
  if (o instanceof DecodeError) return o;
  if (o.limit === undefined) return [...run.logs];
  return o.limit === 0 ? [] : run.logs.slice(-o.limit);
}

/**
 * `list_tasks(killed=False, workspace_id=None, workspace_name=None)`, newest first. As the seed
 * documents it, `killed=False` returns every task, killed or not, and `killed=True` only those that
 * were issued the kill command. `workspace_id` must be an integer and `workspace_name` a string.
 *
 * @example
 * ```ts
 * listWallarooTasks(tasks, { workspace_id: 30 });
 * listWallarooTasks(tasks, { workspace_id: "30" }); // DecodeError: workspace_id: got "30", expected an integer
 * ```
 */
export function listWallarooTasks(
  tasks: readonly WallarooTask[],
  filter: unknown = {},
): WallarooTask[] | DecodeError {
  const f = decode(taskFilter, filter, "wallaroo list_tasks");
  if (f instanceof DecodeError) return f;
  return tasks
    .filter((t) => !f.killed || isWallarooTaskKilled(t))
    .filter((t) => f.workspace_id === undefined || t.workspaceId === f.workspace_id)
    .filter((t) => f.workspace_name === undefined || t.workspaceName === f.workspace_name)
    .sort(byTimeDesc((t) => t.createdAt));
}

/**
 * `list_orchestrations(workspace_id=None, workspace_name=None)`, newest first (the seed's "reverse
 * chronological order").
 *
 * @example
 * ```ts
 * listWallarooOrchestrations(orchestrations, { workspace_name: "simpleorchestrationworkspace" });
 * ```
 */
export function listWallarooOrchestrations(
  orchestrations: readonly WallarooOrchestration[],
  filter: unknown = {},
): WallarooOrchestration[] | DecodeError {
  const f = decode(orchestrationFilter, filter, "wallaroo list_orchestrations");
  if (f instanceof DecodeError) return f;
  return orchestrations
    .filter((o) => f.workspace_id === undefined || o.workspaceId === f.workspace_id)
    .filter((o) => f.workspace_name === undefined || o.workspaceName === f.workspace_name)
    .sort(byTimeDesc((o) => o.createdAt));
}

/** One row of `list_tasks()` as the SDK displays it. */
export interface WallarooTaskRow {
  readonly id: string;
  readonly name: string;
  readonly last_run_status: WallarooTaskRunStatus | "unknown";
  readonly type: (typeof wallarooTaskTypeDisplay)[keyof typeof wallarooTaskTypeDisplay];
  readonly active: boolean;
  readonly schedule: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly workspace_id: number;
  readonly workspace_name: string;
}

/**
 * The row the SDK shows for a task: type "Temporary Run", "Scheduled Run" or "Continuous Run",
 * schedule `-` when there is none, `active` as {@link isWallarooTaskActive}.
 *
 * @example
 * ```ts
 * wallarooTaskRow(task, runs).last_run_status; // "unknown" before any run
 * ```
 */
export function wallarooTaskRow(task: WallarooTask, runs: readonly WallarooTaskRun[]): WallarooTaskRow {
  return {
    id: task.id,
    name: task.name,
    last_run_status: lastWallarooRunStatus(runs.filter((r) => r.taskId === task.id)),
    type: wallarooTaskTypeDisplay[task.type],
    active: isWallarooTaskActive(task),
    schedule: task.schedule ?? "-",
    created_at: task.createdAt,
    updated_at: task.updatedAt,
    workspace_id: task.workspaceId,
    workspace_name: task.workspaceName,
  };
}
