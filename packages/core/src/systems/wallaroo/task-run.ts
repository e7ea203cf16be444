import * as z from "zod";
import { Lifecycle } from "../../lifecycle/lifecycle.js";
import type { StatusRecord } from "../../lifecycle/record.js";
import type { LifecycleSpec, TransitionReasons, TransitionSpec } from "../../lifecycle/spec.js";

/**
 * A Wallaroo Task Run: one execution of a task, with its own logs. Statuses are the SDK's run
 * statuses (`ListTaskRunsRequestStatus` less `all`): `running`, `success`, `failure`, `timed_out`;
 * the Dashboard shows "Success, Failure, or Timed_out".
 */

export const wallarooTaskRunStatuses = ["running", "success", "failure", "timed_out"] as const;
export type WallarooTaskRunStatus = (typeof wallarooTaskRunStatuses)[number];

/** `TaskKilled`: the run was halted because its task was killed (seed: "Any active Task Runs are halted"). */
export const wallarooTaskRunReasons = ["TaskKilled"] as const;
export type WallarooTaskRunReason = (typeof wallarooTaskRunReasons)[number];

export const wallarooTaskRunEvents = {
  succeed: "The run's script completed successfully.",
  fail: "The run's script terminated early, for example on an uncaught exception.",
  timeOut: "The run outlived its task's timeout and was stopped.",
  halt: "The run's task was killed: the run is halted (failure/TaskKilled).",
} as const;
export type WallarooTaskRunEvent = keyof typeof wallarooTaskRunEvents;

const transitions = [
  { event: "succeed", from: ["running"], to: "success", reason: null },
  { event: "fail", from: ["running"], to: "failure", reason: null },
  { event: "timeOut", from: ["running"], to: "timed_out", reason: null },
  { event: "halt", from: ["running"], to: "failure", reason: "TaskKilled" },
] as const satisfies readonly TransitionSpec<
  WallarooTaskRunStatus,
  WallarooTaskRunReason,
  WallarooTaskRunEvent
>[];

const spec: LifecycleSpec<WallarooTaskRunStatus, WallarooTaskRunReason, WallarooTaskRunEvent> = {
  system: "wallaroo",
  kind: "TaskRun",
  initial: { status: "running", reason: null },
  statuses: {
    running: {
      terminal: false,
      outcome: null,
      reasons: [],
      reasonRequired: false,
      description: "The run's script is executing.",
      phase: "Running",
      phaseRationale: "The script executes.",
    },
    success: {
      terminal: true,
      outcome: "success",
      reasons: [],
      reasonRequired: false,
      description: "The script completed successfully.",
      phase: "Succeeded",
      phaseRationale: "Terminal with outcome success.",
    },
    failure: {
      terminal: true,
      outcome: "failure",
      reasons: wallarooTaskRunReasons,
      reasonRequired: false,
      description: "The script terminated early; TaskKilled when the run was halted by a kill of its task.",
      phase: "Failed",
      phaseRationale: "Terminal with outcome failure (Wallaroo reports a killed run as a failure too).",
    },
    timed_out: {
      terminal: true,
      outcome: "failure",
      reasons: [],
      reasonRequired: false,
      description: "The run outlived its task's timeout and was stopped.",
      phase: "Failed",
      phaseRationale: "Terminal with outcome failure: Wallaroo counts a timeout as the run's failure.",
    },
  },
  transitions,
  events: wallarooTaskRunEvents,
  notes: [
    "A run that is still running when its task's timeout has elapsed since it started is `timed_out`, stamped at that deadline; an outcome reported at or after the deadline is too late.",
    "A timed-out run does not stop a Run Scheduled task: the next match starts a new run.",
  ],
};

/**
 * The TaskRun lifecycle: `running -> success | failure | timed_out`.
 *
 * @example
 * ```ts
 * const run = wallarooTaskRun.stepOrThrow(wallarooTaskRun.initial("2024-01-01T00:00:00Z"), { type: "timeOut" });
 * run.status; // "timed_out"
 * ```
 */
export const wallarooTaskRun = new Lifecycle<
  WallarooTaskRunStatus,
  WallarooTaskRunReason,
  WallarooTaskRunEvent,
  TransitionReasons<typeof transitions, WallarooTaskRunEvent>
>(spec);

/** A task run as the SDK's `last_runs()` lists it, plus what the state model needs. */
export interface WallarooTaskRun extends StatusRecord<WallarooTaskRunStatus, WallarooTaskRunReason> {
  /** The run id (shown as "pod id"). */
  readonly id: string;
  readonly taskId: string;
  /** When the run started. */
  readonly createdAt: string;
  /** When the run last changed (its end, once finished). */
  readonly updatedAt: string;
  /** The cron match this run was started for (Run Scheduled only), else `null`. */
  readonly scheduledAt: string | null;
  /** The run's log lines, oldest first. */
  readonly logs: readonly string[];
  /** True once the task's kill deleted this run's logs; no line is kept or added after that. */
  readonly logsDeleted: boolean;
}

/** The zod schema of {@link WallarooTaskRun}, for decoding untrusted JSON. */
export const wallarooTaskRunSchema = z
  .object({
    id: z.string().min(1),
    taskId: z.string().min(1),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
    scheduledAt: z.iso.datetime({ offset: true }).nullable(),
    logs: z.array(z.string()),
    logsDeleted: z.boolean(),
    status: z.enum(wallarooTaskRunStatuses),
    reason: z.enum(wallarooTaskRunReasons).nullable(),
    message: z.string().nullable(),
    lastTransitionTime: z.string().nullable(),
  })
  .strict();

/**
 * True while the run executes (the only non-terminal status).
 *
 * @example
 * ```ts
 * isWallarooTaskRunActive({ status: "timed_out" }); // false
 * ```
 */
export const isWallarooTaskRunActive = (run: Pick<WallarooTaskRun, "status">): boolean =>
  run.status === "running";
