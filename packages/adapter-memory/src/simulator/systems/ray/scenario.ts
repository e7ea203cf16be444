import {
  DecodeError,
  entityId,
  rayQueueLimits,
  rayRetrySemantics,
  rayStepOptions,
  rayStepType,
  rayUserMetadata,
} from "@phasekit/core";
import { z } from "zod";
import { countField, durationField } from "../fields.js";

/**
 * The Ray part of a scenario file: the `ray:` section (the queue limits of `workflow.init`),
 * workflows as resources with `system: ray` (their steps, each with a name, options, user metadata,
 * how long it runs and how often it raises), and events with `system: ray` (a cluster restart, a
 * resume, a cancel). `docs/scenarios.md` documents every field.
 *
 * @module
 */

/**
 * The `ray:` section: `workflow.init(max_running_workflows=, max_pending_workflows=)`, -1 for no
 * limit, and which Ray's retry rule steps follow (`retrySemantics`: `2.x`, the default, retries an
 * application error only with `retry_exceptions: true`; `1.x` retries every raise).
 */
export const raySection = rayQueueLimits.extend({
  /** `2.x` (default) or `1.x`: which failures of a step are retried (core's `rayStepRetries`). */
  retrySemantics: rayRetrySemantics.default("2.x"),
});

const step = z
  .object({
    /** `.options(name=)`: the step's name (its id is this name, deduplicated: `add`, `add_1` ...). */
    name: z.string().min(1, "a non-empty name").optional(),
    /** The step's function (`module.qualname`), which names it when `name` is absent. */
    func: z.string().min(1, "a non-empty function name").optional(),
    /** FUNCTION (default), ACTOR_METHOD, READONLY_ACTOR_METHOD or WAIT. */
    stepType: rayStepType.optional(),
    /** `.options(max_retries=, catch_exceptions=, ...)`, checked as Ray checks them. */
    options: z.unknown().optional(),
    /** `.options(metadata=)`: a JSON object. */
    metadata: z.unknown().optional(),
    /** How long one execution of the step runs. */
    takes: durationField.default(1_000),
    /** How many of the step's executions raise (the first ones, counted over the whole simulation). */
    raises: countField.default(0),
  })
  .strict();

/** A Ray workflow, as a resource with `system: ray`: `<steps>.run(workflow_id=id, metadata=...)` at `at`. */
export const rayWorkflow = z
  .object({
    system: z.literal("ray"),
    kind: z.literal("Workflow"),
    id: entityId,
    /** `.run(metadata=)`: a JSON object. */
    metadata: z.unknown().optional(),
    /** The steps, run one after another (each depends on the one before). */
    steps: z.array(step).min(1, "at least one step"),
    at: durationField.default(0),
  })
  .strict();

/** A Ray event, with `system: ray`: exactly one of `restartCluster`, `resume`, `resumeAll`, `cancel`. */
export const rayEvent = z
  .object({
    at: durationField,
    system: z.literal("ray"),
    /** The Ray cluster restarts: every running or queued workflow loses its executor (RESUMABLE). */
    restartCluster: z.literal(true).optional(),
    /** `workflow.resume(id)`. */
    resume: entityId.optional(),
    /** `workflow.resume_all(include_failed)`: every RESUMABLE workflow, formerly running ones first. */
    resumeAll: z.literal(true).optional(),
    /** With `resumeAll`: resume FAILED workflows too (`include_failed=True`). */
    includeFailed: z.boolean().optional(),
    /** `workflow.cancel(id)`. */
    cancel: entityId.optional(),
  })
  .strict();

export type RayLimits = z.output<typeof raySection>;
export type RayWorkflowSpec = z.output<typeof rayWorkflow>;
export type RayStepSpec = RayWorkflowSpec["steps"][number];
export type RayScenarioEvent = z.output<typeof rayEvent>;

type Issue = { path: PropertyKey[]; input: unknown; message: string };

/** Turns a core DecodeError's issues (paths like `options.max_retries`) into issues under `base`. */
function under(base: PropertyKey[], error: DecodeError, add: (i: Issue) => void): void {
  for (const i of error.issues) {
    const rest = i.path.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== "");
    add({
      path: [...base, ...rest.map((p) => (/^\d+$/.test(p) ? Number(p) : p))],
      input: i.value,
      message: i.expected,
    });
  }
}

/**
 * The checks Ray itself makes (options and user metadata, with core's own checks) and those across
 * fields: a step has a name or a function, events name a Ray workflow and do one thing.
 */
export function checkRay(
  workflows: readonly { readonly path: PropertyKey[]; readonly workflow: RayWorkflowSpec }[],
  events: readonly { readonly path: PropertyKey[]; readonly event: RayScenarioEvent }[],
): Issue[] {
  const issues: Issue[] = [];
  const add = (i: Issue) => issues.push(i);
  for (const { path, workflow } of workflows) {
    const meta = rayUserMetadata(workflow.metadata);
    if (meta instanceof DecodeError) under(path, meta, add);
    workflow.steps.forEach((s, k) => {
      const at = [...path, "steps", k];
      if (s.name === undefined && s.func === undefined)
        add({
          path: [...at, "name"],
          input: undefined,
          message: "a name or a func (the step's function names it)",
        });
      const options = rayStepOptions(s.stepType ?? "FUNCTION", s.options);
      if (options instanceof DecodeError) under(at, options, add);
      const metadata = rayUserMetadata(s.metadata);
      if (metadata instanceof DecodeError) under(at, metadata, add);
    });
  }
  const ids = new Set(workflows.map((w) => w.workflow.id));
  for (const { path, event } of events) {
    const present = (["restartCluster", "resume", "resumeAll", "cancel"] as const).filter(
      (k) => event[k] !== undefined,
    );
    if (present.length !== 1)
      add({
        path,
        input: event,
        message: `exactly one of restartCluster, resume, resumeAll, cancel (got ${present.join(", ") || "none"})`,
      });
    if (event.includeFailed !== undefined && event.resumeAll === undefined)
      add({
        path: [...path, "includeFailed"],
        input: event.includeFailed,
        message: "includeFailed only with resumeAll: true",
      });
    for (const key of ["resume", "cancel"] as const)
      if (event[key] !== undefined && !ids.has(event[key]))
        add({
          path: [...path, key],
          input: event[key],
          message: "the id of a Ray workflow declared in this scenario",
        });
  }
  return issues;
}
