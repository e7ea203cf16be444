import * as z from "zod";
import { decode } from "../../decode.js";
import { DecodeError } from "../../lifecycle/errors.js";
import { type JsonObject, rayUserMetadata } from "./user-metadata.js";

/** Ray 1.x `StepType`: a function step, a (readonly) virtual-actor method, or `workflow.wait`. */
export const rayStepType = z.enum(["FUNCTION", "ACTOR_METHOD", "READONLY_ACTOR_METHOD", "WAIT"]);
export type RayStepType = z.infer<typeof rayStepType>;

/** `step_options` as `get_metadata(id, name)` shows them (`WorkflowStepRuntimeOptions.to_dict()`). */
export interface RayStepOptions {
  readonly step_type: RayStepType;
  readonly max_retries: number;
  readonly catch_exceptions: boolean;
  /** Ray 2.x: retry application errors too (default false: only system errors are retried). */
  readonly retry_exceptions: boolean;
  readonly allow_inplace: boolean;
  readonly checkpoint: boolean;
  readonly ray_options: JsonObject;
}

/** The options a caller may set, as `step.options(...)` takes them; every field is optional. */
export const rayStepOptionsInput = z
  .object({
    max_retries: z
      .number()
      .int("an integer: 0, -1 or a positive number")
      .min(-1, "0, -1 or a positive integer ('max_retries' only accepts 0, -1 or a positive integer)")
      .optional(),
    catch_exceptions: z.boolean().optional(),
    retry_exceptions: z.boolean().optional(),
    allow_inplace: z.boolean().optional(),
    checkpoint: z.boolean().optional(),
    ray_options: z.unknown().optional(),
  })
  .strict();
export type RayStepOptionsInput = z.input<typeof rayStepOptionsInput>;

/**
 * Fills a step's options with Ray's defaults (`WorkflowStepRuntimeOptions.make`): 3 retries, no
 * caught exceptions, application errors not retried (`retry_exceptions`, Ray 2.x's
 * `WorkflowTaskRuntimeOptions`; 1.x has no such option), not in place, checkpointed, no ray options. A virtual-actor method's
 * `.options()` defaults `max_retries` to 0, so ACTOR_METHOD steps start from 0. Bad input is a
 * {@link DecodeError} naming the field (`options.max_retries: got -2, expected 0, -1 or a positive integer`).
 *
 * @example
 * ```ts
 * rayStepOptions("FUNCTION", { max_retries: 1 });
 * // { step_type: "FUNCTION", max_retries: 1, catch_exceptions: false, retry_exceptions: false, allow_inplace: false, checkpoint: true, ray_options: {} }
 * ```
 */
export function rayStepOptions(stepType: RayStepType, input: unknown = {}): RayStepOptions | DecodeError {
  const parsed = decode(rayStepOptionsInput, input ?? {}, "Ray step options");
  if (parsed instanceof DecodeError) return prefixed(parsed);
  const rayOptions = rayUserMetadata(parsed.ray_options, "options.ray_options");
  if (rayOptions instanceof DecodeError) return rayOptions;
  return {
    step_type: stepType,
    max_retries: parsed.max_retries ?? (stepType === "FUNCTION" ? 3 : 0),
    catch_exceptions: parsed.catch_exceptions ?? false,
    retry_exceptions: parsed.retry_exceptions ?? false,
    allow_inplace: parsed.allow_inplace ?? false,
    checkpoint: parsed.checkpoint ?? true,
    ray_options: rayOptions,
  };
}

/**
 * Which Ray decides whether a failed step runs again: `2.x` (the default; ray 2.47.1
 * `workflow_executor.py`) retries a system error while `max_retries` allows, and an application
 * error (the step raised) only with `retry_exceptions: true`; `1.x` retries every raise while
 * `max_retries` allows (`-1`: without end), as Ray 1.x's step wrapper did.
 */
export const rayRetrySemantics = z.enum(["2.x", "1.x"]);
export type RayRetrySemantics = z.infer<typeof rayRetrySemantics>;

/**
 * Whether a step that has just failed for the `failures`-th time in this run is executed again.
 * Ray 2.x compares the retries already made with `max_retries` (`task_retries < max_retries`), so
 * `max_retries: -1` retries nothing there; Ray 1.x reads -1 as "retry without end".
 *
 * @example
 * ```ts
 * const options = rayStepOptions("FUNCTION", {}) as RayStepOptions; // max_retries 3, retry_exceptions false
 * rayStepRetries(options, 1, "2.x"); // false: an application error, retry_exceptions is off
 * rayStepRetries(options, 1, "1.x"); // true: 1.x retries every raise
 * rayStepRetries(options, 1, "2.x", "system"); // true: a system error is retried
 * ```
 */
export function rayStepRetries(
  options: Pick<RayStepOptions, "max_retries" | "retry_exceptions">,
  failures: number,
  semantics: RayRetrySemantics = "2.x",
  error: "application" | "system" = "application",
): boolean {
  if (semantics === "1.x") return options.max_retries === -1 || failures <= options.max_retries;
  if (error === "application" && !options.retry_exceptions) return false;
  return failures - 1 < options.max_retries;
}

/** Paths of the options are reported under `options`, as the caller passed them. */
function prefixed(error: DecodeError): DecodeError {
  const issues = error.issues.map((i) => ({ ...i, path: i.path === "$" ? "options" : `options.${i.path}` }));
  return new DecodeError(error.subject, issues);
}
