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
    allow_inplace: z.boolean().optional(),
    checkpoint: z.boolean().optional(),
    ray_options: z.unknown().optional(),
  })
  .strict();
export type RayStepOptionsInput = z.input<typeof rayStepOptionsInput>;

/**
 * Fills a step's options with Ray's defaults (`WorkflowStepRuntimeOptions.make`): 3 retries, no
 * caught exceptions, not in place, checkpointed, no ray options. A virtual-actor method's
 * `.options()` defaults `max_retries` to 0, so ACTOR_METHOD steps start from 0. Bad input is a
 * {@link DecodeError} naming the field (`options.max_retries: got -2, expected 0, -1 or a positive integer`).
 *
 * @example
 * ```ts
 * rayStepOptions("FUNCTION", { max_retries: 1 });
 * // { step_type: "FUNCTION", max_retries: 1, catch_exceptions: false, allow_inplace: false, checkpoint: true, ray_options: {} }
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
    allow_inplace: parsed.allow_inplace ?? false,
    checkpoint: parsed.checkpoint ?? true,
    ray_options: rayOptions,
  };
}

/** Paths of the options are reported under `options`, as the caller passed them. */
function prefixed(error: DecodeError): DecodeError {
  const issues = error.issues.map((i) => ({ ...i, path: i.path === "$" ? "options" : `options.${i.path}` }));
  return new DecodeError(error.subject, issues);
}
