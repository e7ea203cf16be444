import * as z from "zod";
import { toDecodeIssues } from "../../decode.js";
import { DecodeError, type DecodeIssue } from "../../lifecycle/errors.js";
import type { StatusRecord } from "../../lifecycle/record.js";
import { parseWallarooCron } from "./cron.js";
import { requireReadyOrchestration, type WallarooOrchestration } from "./orchestration.js";
import { type WallarooTaskStatus, wallarooTask } from "./task.js";

/** The three kinds of task, by the Orchestration method that creates them. */
export const wallarooTaskTypes = ["once", "scheduled", "continuous"] as const;
export type WallarooTaskType = (typeof wallarooTaskTypes)[number];

/**
 * What the SDK displays in a task's "Type" column. Run Continuously shows "Continuous Run", as the
 * SDK's `_descriptive_task_type` maps it (`NetworkService`); the seed's 2024 example shows
 * "Temporary Run" for a continuous task, which would not tell it from Run Once.
 */
export const wallarooTaskTypeDisplay = {
  once: "Temporary Run",
  scheduled: "Scheduled Run",
  continuous: "Continuous Run",
} as const satisfies Record<WallarooTaskType, string>;

/**
 * The task type of an SDK `run_type` (`Oneshot`, `CronJob`, `NetworkService`), or null for any other
 * value (the SDK shows those as "Custom Image Run").
 *
 * @example
 * ```ts
 * wallarooTaskTypeOfRunType("CronJob"); // "scheduled"
 * ```
 */
export function wallarooTaskTypeOfRunType(runType: string): WallarooTaskType | null {
  const byRunType: Record<string, WallarooTaskType> = {
    Oneshot: "once",
    CronJob: "scheduled",
    NetworkService: "continuous",
  };
  return byRunType[runType] ?? null;
}

/** The SDK's label for a task whose `run_type` is none of Oneshot, CronJob, NetworkService (wallaroo 2026.1.3). */
export const wallarooCustomImageRunLabel = "Custom Image Run";

/**
 * The "Type" the SDK displays for a task's `run_type`, as `Task._descriptive_task_type` maps it
 * (wallaroo 2026.1.3): "Temporary Run", "Scheduled Run", "Continuous Run", and "Custom Image Run"
 * for any other run type (a task that runs a custom image rather than an orchestration's package).
 *
 * @example
 * ```ts
 * wallarooTaskTypeLabel("CronJob"); // "Scheduled Run"
 * wallarooTaskTypeLabel("CustomImage"); // "Custom Image Run"
 * ```
 */
export function wallarooTaskTypeLabel(runType: string): string {
  const type = wallarooTaskTypeOfRunType(runType);
  return type === null ? wallarooCustomImageRunLabel : wallarooTaskTypeDisplay[type];
}

/** A task with its status record: what `list_tasks()` shows, plus its definition. */
export interface WallarooTask extends StatusRecord<WallarooTaskStatus, never> {
  /** UUID. */
  readonly id: string;
  readonly name: string;
  readonly orchestrationId: string;
  readonly type: WallarooTaskType;
  /** The 5-field cron schedule of a Run Scheduled task, else `null` (shown as `-`). */
  readonly schedule: string | null;
  /** Seconds a run may execute before it is `timed_out`; `null`: no timeout. */
  readonly timeoutSeconds: number | null;
  readonly jsonArgs: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly workspaceId: number;
  readonly workspaceName: string;
}

const name = z.string().min(1, "a non-empty task name");
const jsonArgs = z.record(z.string(), z.json());
const timeout = z.number().int().positive("a whole number of seconds greater than 0");

/**
 * What `run_once`, `run_scheduled` and `run_continuously` take, with `type` naming the method.
 * `run_continuously` takes no timeout (seed: name and json_args only).
 */
export const wallarooTaskRequestSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("once"), name, jsonArgs, timeout: timeout.optional() }).strict(),
  z
    .object({
      type: z.literal("scheduled"),
      name,
      jsonArgs,
      schedule: z.string(),
      timeout: timeout.optional(),
    })
    .strict(),
  z.object({ type: z.literal("continuous"), name, jsonArgs }).strict(),
]);
export type WallarooTaskRequest = z.infer<typeof wallarooTaskRequestSchema>;

/**
 * Creates a task from an orchestration, as `orchestration.run_once(...)`, `run_scheduled(...)` and
 * `run_continuously(...)` do. Returns the new task (status `pending`), or a {@link DecodeError}
 * listing every problem: an orchestration that is not `ready`, a bad field, an invalid schedule
 * (naming the cron field and value). The id and the time come in as data.
 *
 * @example
 * ```ts
 * const task = createWallarooTask(
 *   readyOrchestration,
 *   { type: "scheduled", name: "schedule example", jsonArgs: {}, schedule: "*\/5 * * * *", timeout: 600 },
 *   { id: "4af57c61-dfa9-43eb-944e-559135495df4", at: "2023-05-22T20:08:25Z" },
 * );
 * ```
 */
export function createWallarooTask(
  orchestration: Pick<WallarooOrchestration, "id" | "status" | "workspaceId" | "workspaceName">,
  request: unknown,
  created: { readonly id: string; readonly at: string },
): WallarooTask | DecodeError {
  const issues: DecodeIssue[] = [];
  const ready = requireReadyOrchestration(orchestration);
  if (ready instanceof DecodeError) issues.push(...ready.issues);
  const parsed = wallarooTaskRequestSchema.safeParse(request);
  if (!parsed.success) issues.push(...toDecodeIssues(request, parsed.error));
  else if (parsed.data.type === "scheduled") {
    const cron = parseWallarooCron(parsed.data.schedule);
    if (cron instanceof DecodeError) issues.push(...cron.issues);
  }
  if (issues.length > 0 || !parsed.success)
    return new DecodeError(`wallaroo task from orchestration ${orchestration.id}`, issues);
  const r = parsed.data;
  return {
    ...wallarooTask.initial(created.at),
    id: created.id,
    name: r.name,
    orchestrationId: orchestration.id,
    type: r.type,
    schedule: r.type === "scheduled" ? r.schedule : null,
    timeoutSeconds: r.type === "continuous" ? null : (r.timeout ?? null),
    jsonArgs: r.jsonArgs,
    createdAt: created.at,
    updatedAt: created.at,
    workspaceId: orchestration.workspaceId,
    workspaceName: orchestration.workspaceName,
  };
}
