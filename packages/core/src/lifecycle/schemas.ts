import * as z from "zod";
import type { Leaf } from "./lifecycle.js";
import type { StatusRecord } from "./record.js";
import { type LifecycleSpec, leafReasons, type StatusSpec } from "./spec.js";
import { isRfc3339, RFC3339_EXPECTED } from "./time.js";

/** The zod schemas of one kind: its statuses, its reasons, and its status record. */
export interface RecordSchemas<S extends string, R extends string> {
  readonly status: z.ZodType<S>;
  readonly reason: z.ZodType<R | null>;
  readonly record: z.ZodType<StatusRecord<S, R>>;
}

/**
 * Builds a kind's schemas from its spec and leaves; `leafOf` says whether a (status, reason) pair is a
 * leaf, so the record's reason is checked against its own status and the error lists that status's
 * reasons. Used once per kind by `Lifecycle`'s constructor (its `schemas`).
 */
export function recordSchemas<S extends string, R extends string>(
  spec: LifecycleSpec<S, R, string>,
  leaves: readonly Leaf<S, R>[],
  leafOf: (status: string, reason: string | null) => number | undefined,
): RecordSchemas<S, R> {
  const statuses = Object.keys(spec.statuses) as [S, ...S[]];
  const reasons = [...new Set(leaves.flatMap((l) => (l.reason === null ? [] : [l.reason])))] as [R, ...R[]];
  const status = z.enum(statuses) as unknown as z.ZodType<S>;
  const reason = (reasons.length > 0
    ? z.enum(reasons).nullable()
    : z.null()) as unknown as z.ZodType<R | null>;
  const record = z
    .object({
      status,
      reason: z.string().nullable(),
      message: z.string().nullable(),
      lastTransitionTime: z.string().refine(isRfc3339, RFC3339_EXPECTED).nullable(),
    })
    .superRefine((rec, ctx) => {
      if (rec.status in spec.statuses && leafOf(rec.status, rec.reason) === undefined) {
        const allowed = leafReasons(spec.statuses[rec.status as S] as StatusSpec);
        ctx.addIssue({
          code: "custom",
          path: ["reason"],
          message: `one of ${allowed.map((r) => r ?? "null").join(", ")} (the reasons of ${rec.status} for ${spec.kind})`,
          input: rec.reason,
        });
      }
    }) as unknown as z.ZodType<StatusRecord<S, R>>;
  return { status, reason, record };
}
