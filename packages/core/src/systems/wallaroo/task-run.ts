import * as z from "zod";
import { Lifecycle } from "../../lifecycle/lifecycle.js";
import type { Phase } from "../../lifecycle/phase.js";
import type { StatusRecord } from "../../lifecycle/record.js";
import type { LifecycleSpec, StatusSpec, TransitionReasons, TransitionSpec } from "../../lifecycle/spec.js";
import { steps } from "./steps.generated.js";

/**
 * A Wallaroo Task Run: one execution of a task, with its own logs. Statuses are the SDK's run
 * statuses, `TaskStatus` of `wallaroo_ml_ops_api_client/models/task_status.py` (wallaroo 2026.1.3):
 * `running`, `success`, `failure`, `timed_out` (the seed's: the Dashboard shows "Success, Failure,
 * or Timed_out") and `killed`, `unknown` (the package's only).
 */

export const wallarooTaskRunStatuses = [
  "running",
  "success",
  "failure",
  "timed_out",
  "killed",
  "unknown",
] as const;
export type WallarooTaskRunStatus = (typeof wallarooTaskRunStatuses)[number];

/** The run statuses the seed names (its Dashboard and `last_runs` examples); the rest come from the SDK. */
export const wallarooSeedTaskRunStatuses = ["running", "success", "failure", "timed_out"] as const;

/** Where each run status comes from: the seed, or the package and version that declares it. */
export const wallarooTaskRunStatusSource = {
  running: "seed",
  success: "seed",
  failure: "seed",
  timed_out: "seed",
  killed: "wallaroo 2026.1.3",
  unknown: "wallaroo 2026.1.3",
} as const satisfies Record<WallarooTaskRunStatus, string>;

/** A task run carries no reason: a halted run is `killed` (wallaroo 2026.1.3), not failure/TaskKilled. */
export const wallarooTaskRunReasons = [] as const;
export type WallarooTaskRunReason = never;

export const wallarooTaskRunEvents = {
  succeed: "The run's script completed successfully.",
  fail: "The run's script terminated early, for example on an uncaught exception.",
  timeOut: "The run outlived its task's timeout and was stopped.",
  halt: "The run's task was killed: the run is halted (killed).",
  lose: "The platform lost track of the run (its pod is gone and no outcome was recorded): unknown.",
  regain: "The run is seen executing again.",
} as const;
export type WallarooTaskRunEvent = keyof typeof wallarooTaskRunEvents;

const live = ["running", "unknown"] as const;

const transitions = [
  { event: "succeed", from: live, to: "success", reason: null },
  { event: "fail", from: live, to: "failure", reason: null },
  { event: "timeOut", from: live, to: "timed_out", reason: null },
  { event: "halt", from: live, to: "killed", reason: null },
  { event: "lose", from: ["running"], to: "unknown", reason: null },
  { event: "regain", from: ["unknown"], to: "running", reason: null },
] as const satisfies readonly TransitionSpec<
  WallarooTaskRunStatus,
  WallarooTaskRunReason,
  WallarooTaskRunEvent
>[];

const status = (
  terminal: boolean,
  outcome: StatusSpec["outcome"],
  description: string,
  phase: Phase,
  phaseRationale: string,
  source: string,
): StatusSpec<never> => ({
  terminal,
  outcome,
  reasons: [],
  reasonRequired: false,
  description,
  phase,
  phaseRationale,
  columns: { source },
});

const spec: LifecycleSpec<WallarooTaskRunStatus, WallarooTaskRunReason, WallarooTaskRunEvent> = {
  system: "wallaroo",
  kind: "TaskRun",
  initial: { status: "running", reason: null },
  statuses: {
    running: status(false, null, "The run's script is executing.", "Running", "The script executes.", "seed"),
    success: status(
      true,
      "success",
      "The script completed successfully.",
      "Succeeded",
      "Terminal with outcome success.",
      "seed",
    ),
    failure: status(
      true,
      "failure",
      "The script terminated early (an uncaught exception).",
      "Failed",
      "Terminal with outcome failure.",
      "seed",
    ),
    timed_out: status(
      true,
      "failure",
      "The run outlived its task's timeout and was stopped.",
      "Failed",
      "Terminal with outcome failure: Wallaroo counts a timeout as the run's failure.",
      "seed",
    ),
    killed: status(
      true,
      "early-termination",
      'The run was halted because its task was killed (seed: "Any active Task Runs are halted"; the status is the SDK\'s `TaskStatus.KILLED`).',
      "Stopped",
      "Terminal with outcome early-termination: a user's kill, neither success nor failure.",
      "wallaroo 2026.1.3",
    ),
    unknown: status(
      false,
      null,
      "The platform cannot tell the run's state (the SDK's `TaskStatus.UNKNOWN`): its pod is gone without a recorded outcome. Not an end: an outcome or the run itself may still be seen.",
      "Unknown",
      "The platform cannot observe the run.",
      "wallaroo 2026.1.3",
    ),
  },
  transitions,
  events: wallarooTaskRunEvents,
  notes: [
    "A run that is still running (or unknown) when its task's timeout has elapsed since it started is `timed_out`, stamped at that deadline; an outcome reported at or after the deadline is too late.",
    "A timed-out run does not stop a Run Scheduled task: the next match starts a new run.",
    "`source` says where a status comes from: `seed` (the guide's Dashboard: Success, Failure, Timed_out, and running) or the SDK package (`TaskStatus` of wallaroo 2026.1.3 adds killed and unknown). To validate against the seed's vocabulary, accept `wallarooSeedTaskRunStatuses` only.",
  ],
};

/**
 * The TaskRun lifecycle: `running -> success | failure | timed_out | killed`, and `unknown` while
 * the platform cannot observe the run.
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
>(spec, steps.TaskRun);

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
    reason: z.null(),
    message: z.string().nullable(),
    lastTransitionTime: z.string().nullable(),
  })
  .strict();

/**
 * True while the run has not ended: `running`, or `unknown` (the platform lost track of it, which is
 * not an end: a kill still halts it, its timeout still applies).
 *
 * @example
 * ```ts
 * isWallarooTaskRunActive({ status: "timed_out" }); // false
 * isWallarooTaskRunActive({ status: "unknown" }); // true
 * ```
 */
export const isWallarooTaskRunActive = (run: Pick<WallarooTaskRun, "status">): boolean =>
  run.status === "running" || run.status === "unknown";
