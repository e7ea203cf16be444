import { Cluster, type ClusterError, type ClusterObject, type Condition } from "@phasekit/core";
import { Effect } from "effect";

/**
 * A status write that survives concurrent writers: read the object, decide its conditions from what
 * is there now, write them naming the version read, and on a 409 Conflict (someone wrote in
 * between) read again and decide again. Level-based, like every status writer on Kubernetes.
 *
 * @module
 */

/**
 * Writes the conditions `decide` returns for the current object, retrying on Conflict up to
 * `attempts` times. `decide` returning undefined means nothing to write. Resolves to the object as
 * written (or as found, when nothing was written or it is gone: undefined).
 *
 * @example
 * ```ts
 * yield* writeConditionsRetrying("InferenceSession", "e1-session", (session) =>
 *   session.conditions.some((c) => c.type === "Available") ? undefined : [stepCondition("Available", "Available", now)],
 * );
 * ```
 */
export const writeConditionsRetrying = (
  kind: string,
  name: string,
  decide: (current: ClusterObject) => readonly Condition[] | undefined,
  attempts = 5,
): Effect.Effect<ClusterObject | undefined, ClusterError, Cluster> =>
  Effect.gen(function* () {
    const cluster = yield* Cluster;
    for (let i = 1; ; i++) {
      const current = yield* cluster.get(kind, name);
      if (current === undefined) return undefined;
      const conditions = decide(current);
      if (conditions === undefined) return current;
      const written = yield* cluster.writeConditions(kind, name, current.resourceVersion, conditions).pipe(
        Effect.map((o): ClusterObject | "conflict" => o),
        Effect.catchIf(
          (e) => e.code === "Conflict" && i < attempts,
          () => Effect.succeed("conflict" as const),
        ),
      );
      if (written !== "conflict") return written;
    }
  });
