import { article, DecodeError, entityId, parseWallarooCron } from "@phasekit/core";
import { z } from "zod";
import { durationField } from "../fields.js";

/**
 * The Wallaroo tasks part of a scenario file: orchestrations (`system: wallaroo, kind:
 * Orchestration`: the package's files, inline, and how long packaging takes), tasks (`kind: Task`:
 * Run Once, Run Scheduled or Run Continuously, with JSON arguments, a timeout and the scripted
 * outcome of each run), and kill events (`system: wallaroo, kill: <task>`). Deployments and their
 * events belong to `wallaroo-deployment/`; {@link isWallarooTasksItem} tells them apart.
 * `docs/scenarios.md` documents every field.
 *
 * @module
 */

/** An orchestration upload: `wallaroo.upload_orchestration(path=...)` at `at`. */
export const wallarooOrchestrationResource = z
  .object({
    system: z.literal("wallaroo"),
    kind: z.literal("Orchestration"),
    id: entityId,
    /** `upload_orchestration(name=)`; null when absent (the SDK shows `None`). */
    name: z.string().min(1, "a non-empty name").optional(),
    /** The package's files, `{ path: content }`, zipped with `buildWallarooPackageZip` and checked by the package rules. */
    files: z.record(z.string(), z.string()).optional(),
    /** Or a ZIP file, its path relative to the scenario file: read by `phasekit simulate` when it loads the scenario. */
    zip: z.string().min(1, "a non-empty path").optional(),
    /** The uploaded file's name (shown as `-` when absent). */
    fileName: z.string().min(1, "a non-empty file name").optional(),
    at: durationField.default(0),
    /** How long the upload waits in pending_packaging before packaging starts. */
    queued: durationField.default(5_000),
    /** How long packaging takes (pip install of the requirements). */
    packaging: durationField.default(30_000),
    /** Packaging fails (a requirement that cannot be installed): the orchestration ends in error. */
    packagingFails: z.boolean().default(false),
  })
  .strict();

/** One run's scripted behaviour. */
const runScript = z
  .object({
    /** success, failure (the script raises), or hang (runs until its timeout or a kill). */
    outcome: z.enum(["success", "failure", "hang"]),
    /** How long the run lasts before its outcome (ignored for hang). */
    takes: durationField.default(1_000),
    /** Log lines the run writes when it starts. */
    logs: z.array(z.string()).default([]),
  })
  .strict();

/** A task: `orchestration.run_once / run_scheduled / run_continuously(...)` at `at`. */
export const wallarooTaskResource = z
  .object({
    system: z.literal("wallaroo"),
    kind: z.literal("Task"),
    id: entityId,
    /** The orchestration the task runs (its `id` in this scenario). */
    orchestration: entityId,
    /** once (Run Once), scheduled (Run Scheduled) or continuous (Run Continuously). */
    type: z.enum(["once", "scheduled", "continuous"]),
    /** The task's name (default: its id). */
    name: z.string().min(1, "a non-empty name").optional(),
    at: durationField.default(0),
    /** The 5-field cron schedule of a scheduled task, read in UTC. */
    schedule: z.string().optional(),
    /** `timeout=`: a whole number of seconds; once and scheduled tasks only. */
    timeout: durationField.optional(),
    /** `json_args=`: a JSON object given to every run. */
    args: z.record(z.string(), z.json()).default({}),
    /** The scripted runs, in order; the last one repeats for every further run. */
    runs: z
      .array(runScript)
      .min(1, "at least one run")
      .default([{ outcome: "success", takes: 1_000, logs: [] }]),
  })
  .strict();

/**
 * A task event at `at`, exactly one of: `kill` (`task.kill()`; `killed` `takes` later), `pause`
 * or `resume` (the SDK's EXPERIMENTAL `Task._pause()` / `_resume()`, wallaroo 2026.1.3, for a Run
 * Scheduled task; `paused` / `started` `takes` later).
 */
export const wallarooTaskEvent = z
  .object({
    at: durationField,
    system: z.literal("wallaroo"),
    kill: entityId.optional(),
    pause: entityId.optional(),
    resume: entityId.optional(),
    takes: durationField.default(5_000),
  })
  .strict();

/** The task an event names, and what it does to it. */
export function wallarooTaskEventAction(e: WallarooTaskScenarioEvent): {
  readonly action: "kill" | "pause" | "resume";
  readonly task: string;
} {
  if (e.pause !== undefined) return { action: "pause", task: e.pause };
  if (e.resume !== undefined) return { action: "resume", task: e.resume };
  return { action: "kill", task: e.kill! };
}

/** An orchestration upload; `bytes` holds the ZIP named by `zip` once the CLI has read it (`readWallarooZips`). */
export type WallarooOrchestrationSpec = z.output<typeof wallarooOrchestrationResource> & {
  readonly bytes?: Uint8Array;
};
export type WallarooTaskSpec = z.output<typeof wallarooTaskResource>;
export type WallarooRunScript = WallarooTaskSpec["runs"][number];
export type WallarooTaskScenarioEvent = z.output<typeof wallarooTaskEvent>;

/** The Wallaroo tasks part of a decoded scenario. */
export interface WallarooTasksScenario {
  readonly orchestrations: readonly WallarooOrchestrationSpec[];
  readonly tasks: readonly WallarooTaskSpec[];
  readonly events: readonly WallarooTaskScenarioEvent[];
  /** Where each orchestration with a `zip` sits in the file (`resources[2].zip`), to name it when it cannot be read. */
  readonly zipPaths: Readonly<Record<string, string>>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * True for a `system: wallaroo` item of this engine: an Orchestration or Task resource, or an event
 * with `kill`. Every other `system: wallaroo` item belongs to the deployment engine.
 *
 * @example
 * ```ts
 * isWallarooTasksItem({ system: "wallaroo", kind: "Task", id: "t" }); // true
 * isWallarooTasksItem({ system: "wallaroo", kind: "Deployment", id: "p" }); // false
 * ```
 */
export function isWallarooTasksItem(v: unknown): boolean {
  if (!isObject(v) || v.system !== "wallaroo") return false;
  return (
    v.kind === "Orchestration" ||
    v.kind === "Task" ||
    (v.kind === undefined && ("kill" in v || "pause" in v || "resume" in v))
  );
}

type Issue = { path: PropertyKey[]; input: unknown; message: string };

/**
 * Checks across fields: a task names a declared orchestration, a schedule exactly on scheduled
 * tasks (and a valid one), a timeout in whole seconds and never on a continuous task, a kill names
 * a declared task, and without `until` every scheduled or continuous task is killed.
 */
export function checkWallarooTasks(
  orchestrations: readonly { readonly path: PropertyKey[]; readonly spec: WallarooOrchestrationSpec }[],
  tasks: readonly { readonly path: PropertyKey[]; readonly spec: WallarooTaskSpec }[],
  events: readonly { readonly path: PropertyKey[]; readonly event: WallarooTaskScenarioEvent }[],
  declared: { readonly orchestrations: ReadonlySet<string>; readonly tasks: ReadonlySet<string> },
  hasUntil: boolean,
): Issue[] {
  const issues: Issue[] = [];
  const killed = new Set(events.map((e) => e.event.kill).filter((k) => k !== undefined));
  for (const { path, spec } of orchestrations)
    if ((spec.files === undefined) === (spec.zip === undefined))
      issues.push({
        path: [...path, spec.files === undefined ? "files" : "zip"],
        input: spec.files === undefined ? undefined : spec.zip,
        message: "exactly one of files (inline) and zip (a path to a ZIP)",
      });
  for (const { path, spec } of tasks) {
    if (!declared.orchestrations.has(spec.orchestration))
      issues.push({
        path: [...path, "orchestration"],
        input: spec.orchestration,
        message: "the id of a Wallaroo Orchestration declared in this scenario",
      });
    if (spec.type === "scheduled") {
      if (spec.schedule === undefined)
        issues.push({ path: [...path, "schedule"], input: undefined, message: "a 5-field cron schedule" });
      else {
        const cron = parseWallarooCron(spec.schedule);
        if (cron instanceof DecodeError)
          for (const i of cron.issues)
            issues.push({
              path: [...path, "schedule"],
              input: spec.schedule,
              message: `${i.path}: ${i.expected}`,
            });
      }
    } else if (spec.schedule !== undefined)
      issues.push({
        path: [...path, "schedule"],
        input: spec.schedule,
        message: "no schedule (only a scheduled task has one)",
      });
    if (spec.timeout !== undefined && spec.type === "continuous")
      issues.push({
        path: [...path, "timeout"],
        input: spec.timeout / 1000,
        message: "no timeout on a continuous task (run_continuously takes none)",
      });
    else if (spec.timeout !== undefined && (spec.timeout <= 0 || spec.timeout % 1000 !== 0))
      issues.push({
        path: [...path, "timeout"],
        input: spec.timeout / 1000,
        message: "a whole number of seconds greater than 0",
      });
    if (!hasUntil && spec.type !== "once" && !killed.has(spec.id))
      issues.push({
        path: [...path, "type"],
        input: spec.type,
        message: `a kill event for ${spec.id}, or an \`until\` for the scenario (${article(spec.type)} task runs until killed)`,
      });
  }
  const types = new Map(tasks.map((t) => [t.spec.id, t.spec.type]));
  for (const { path, event } of events) {
    const present = (["kill", "pause", "resume"] as const).filter((k) => event[k] !== undefined);
    if (present.length !== 1) {
      issues.push({
        path,
        input: event,
        message: `exactly one of kill, pause, resume (got ${present.join(", ") || "none"})`,
      });
      continue;
    }
    const { action, task } = wallarooTaskEventAction(event);
    if (!declared.tasks.has(task))
      issues.push({
        path: [...path, action],
        input: task,
        message: "the id of a Wallaroo Task declared in this scenario",
      });
    else if (action !== "kill" && types.has(task) && types.get(task) !== "scheduled")
      issues.push({
        path: [...path, action],
        input: task,
        message: `a Run Scheduled task (the SDK's experimental ${action} applies to run_scheduled tasks; ${task} is ${types.get(task)})`,
      });
  }
  return issues;
}
