import * as z from "zod";
import type { Lifecycle, LifecycleReason, LifecycleStatus } from "../../lifecycle/lifecycle.js";

/**
 * A Dyff entity (seed `dyff-architecture.txt`, "Data Model"): an immutable `spec`, and the few
 * mutable fields (status, reason, message, labels). `schemaVersion` and `revision` are the schema's
 * (Dyff's `dyff.schema.v0.r1`), not the object's: the version bumps for wholesale changes, the
 * revision for incompatible ones with a limited scope.
 */

/** Label keys and values, as Kubernetes restricts them (the mutable tags of an entity). */
/** What a label key may be (the label schema's key check, shared with the aggregator's fast path). */
export const labelKeyPattern = /^[A-Za-z0-9]([A-Za-z0-9._/-]{0,252})$/;

export const labels = z.record(
  z.string().regex(labelKeyPattern),
  z.string().max(63, "a label value of at most 63 characters"),
  {
    // zod reports a bad key as "Invalid key in record"; name the key and say what a key may be.
    error: (issue) =>
      issue.code === "invalid_key"
        ? `a label key (got ${JSON.stringify(issue.input)}): a letter or digit, then up to 252 letters, digits, '.', '_', '/' or '-'`
        : undefined,
  },
);

/** What an entity id may be (the id schema's check, shared with the aggregator's fast path). */
export const entityIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export const entityId = z.string().regex(entityIdPattern, "an id of letters, digits, '.', '_' or '-'");

/**
 * One Dyff kind: its lifecycle, the schema of its spec, and the ids its workflow depends on. `L` is
 * the kind's typed lifecycle, so its entities carry the kind's literal statuses and reasons.
 */
export interface DyffKind<Spec = unknown, L extends Lifecycle = Lifecycle> {
  readonly lifecycle: L;
  readonly spec: z.ZodType<Spec>;
  /** The entities that must reach a success status before this one can be admitted. */
  readonly dependencies: (spec: Spec) => readonly string[];
  /** The full entity schema, status and reason checked against the lifecycle. */
  readonly entity: z.ZodType<DyffEntity<Spec, LifecycleStatus<L>, LifecycleReason<L>>>;
}

/**
 * A Dyff entity; `S` and `R` are its kind's statuses and reasons (literal unions for a known kind,
 * `string` for any kind).
 *
 * @example
 * ```ts
 * type Evaluation = z.output<typeof dyffKinds.Evaluation.entity>;
 * const bad: Evaluation["status"] = "Bogus"; // does not compile
 * ```
 */
export interface DyffEntity<Spec = unknown, S extends string = string, R extends string = string> {
  readonly kind: string;
  readonly id: string;
  readonly account: string;
  readonly schemaVersion: 0;
  readonly revision: 1;
  readonly creationTime: string;
  readonly lastTransitionTime: string | null;
  readonly status: S;
  readonly reason: R | null;
  readonly message: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: Spec;
  /**
   * The rest of the object as the client's own schema has it (Dyff's `name`, `artifact`,
   * `interface`...): immutable, opaque to the control plane, kept so that an API server can give
   * back what it was sent. Absent when the creator sent only phasekit's fields.
   */
  readonly document?: Readonly<Record<string, unknown>>;
}

/** The opaque rest of an object ({@link DyffEntity.document}): a JSON object. */
export const entityDocument = z.record(z.string(), z.unknown());

/** Assembles a kind from its lifecycle, spec schema and dependency rule. */
export function dyffKind<Spec, L extends Lifecycle>(
  lifecycle: L,
  spec: z.ZodType<Spec>,
  dependencies: (spec: Spec) => readonly string[],
): DyffKind<Spec, L> {
  const entity = z
    .object({
      kind: z.literal(lifecycle.kind),
      id: entityId,
      account: z.string().min(1, "a non-empty account name"),
      schemaVersion: z.literal(0),
      revision: z.literal(1),
      creationTime: z.string(),
      lastTransitionTime: z.string().nullable(),
      status: lifecycle.schemas.status,
      reason: lifecycle.schemas.reason,
      message: z.string().nullable(),
      labels,
      spec,
      document: entityDocument.optional(),
    })
    .strict()
    .superRefine((e, ctx) => {
      if (lifecycle.leafOf(e.status, e.reason) === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["reason"],
          message: `a reason that ${lifecycle.kind} allows in ${e.status}`,
        });
      }
    });
  return {
    lifecycle,
    spec,
    dependencies,
    entity: entity as unknown as z.ZodType<DyffEntity<Spec, LifecycleStatus<L>, LifecycleReason<L>>>,
  };
}

/** Compute requests of a workflow, counted against its account's quota. */
export const resources = z
  .object({
    gpu: z.number().int().nonnegative().default(0),
    cpu: z.number().nonnegative().default(0),
    memoryGiB: z.number().nonnegative().default(0),
  })
  .strict();
