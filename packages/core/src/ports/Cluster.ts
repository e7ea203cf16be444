import * as Context from "effect/Context";
import * as Data from "effect/Data";
import type * as Effect from "effect/Effect";

/**
 * The cluster: workload resources, as Kubernetes holds them. The orchestrator creates a workflow's
 * resource; the operator creates its steps and writes conditions on it; the informer reads them back.
 * Reads are level-based: `list` returns what is there now, never a diff to trust.
 */

/** A status condition, shaped like Kubernetes' `metav1.Condition`. */
export interface Condition {
  readonly type: string;
  readonly status: "True" | "False" | "Unknown";
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string;
}

/** A resource on the cluster. `kind` is a workflow kind (`Evaluation`) or a step kind (`Job`, `InferenceSession`). */
export interface ClusterObject {
  readonly kind: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The owning resource's name, for steps (garbage-collected with their owner). */
  readonly owner: string | null;
  readonly spec: unknown;
  readonly conditions: readonly Condition[];
  /** Opaque; changes on every write. Status writes must name the version they read. */
  readonly resourceVersion: string;
}

/** What a create asks for: everything but the server-assigned parts. */
export type NewClusterObject = Omit<ClusterObject, "conditions" | "resourceVersion">;

export class ClusterError extends Data.TaggedError("ClusterError")<{
  readonly operation: string;
  readonly kind: string;
  readonly name: string;
  /** `AlreadyExists` (create of a taken name), `NotFound`, `Conflict` (stale resourceVersion), `Forbidden`, `Unavailable`. */
  readonly code: "AlreadyExists" | "NotFound" | "Conflict" | "Forbidden" | "Unavailable";
  readonly message: string;
}> {}

/**
 * A position in the cluster's change feed. Opaque: pass back what {@link ClusterShape.changes} gave,
 * to the same adapter instance; anything else (another instance's cursor, a cursor too old for the
 * adapter to remember) gets a full listing, never an error.
 */
export type ClusterCursor = string;

/** What changed on the cluster, for the kinds asked, since a cursor. */
export interface ClusterChanges {
  /** Pass this to the next call. */
  readonly cursor: ClusterCursor;
  /**
   * True when this is a full listing (no cursor, or one the adapter no longer knows): `objects` is
   * everything of those kinds, and an object the caller knew that is not in it is gone.
   */
  readonly full: boolean;
  /** Objects created or written since the cursor, as they are now (at most once each). */
  readonly objects: readonly ClusterObject[];
  /** Objects deleted since the cursor and not there now (empty when `full`). */
  readonly deleted: readonly { readonly kind: string; readonly name: string }[];
}

/** The shape of the cluster port. */
export interface ClusterShape {
  /** Creates an object; a second create of the same kind and name fails with `AlreadyExists` (admit-once). */
  readonly create: (object: NewClusterObject) => Effect.Effect<ClusterObject, ClusterError>;
  /** Deletes an object and the objects it owns; deleting an absent object is `NotFound`. */
  readonly delete: (kind: string, name: string) => Effect.Effect<void, ClusterError>;
  readonly get: (kind: string, name: string) => Effect.Effect<ClusterObject | undefined, ClusterError>;
  readonly list: (kind: string) => Effect.Effect<readonly ClusterObject[], ClusterError>;
  /**
   * The change feed, as an informer's watch gives it: the objects of `kinds` that changed since
   * `cursor` (null: all of them, `full`). Level-based like `list`: each changed object comes with its
   * state now, not the events between, and a read may lag behind writes but never goes back. A
   * controller that reconciles what the feed names, and everything again whenever `full` is true,
   * sees every object's latest state without listing everything on every pass.
   *
   * @example
   * ```ts
   * let cursor: ClusterCursor | null = null;
   * const { objects, deleted, full, cursor: next } = yield* cluster.changes(["Evaluation", "Job"], cursor);
   * cursor = next;
   * ```
   */
  readonly changes: (
    kinds: readonly string[],
    cursor: ClusterCursor | null,
  ) => Effect.Effect<ClusterChanges, ClusterError>;
  /** Replaces the conditions (the status subresource) if `resourceVersion` is still current, else `Conflict`. */
  readonly writeConditions: (
    kind: string,
    name: string,
    resourceVersion: string,
    conditions: readonly Condition[],
  ) => Effect.Effect<ClusterObject, ClusterError>;
}

export class Cluster extends Context.Service<Cluster, ClusterShape>()("@phasekit/core/Cluster") {}
