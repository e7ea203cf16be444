import { ClusterError } from "@phasekit/core";
import { Effect } from "effect";
import { KubeApiError, TransportError } from "./client.js";

/**
 * Kubernetes' answers in the cluster port's words. 404 is NotFound; 409 is AlreadyExists on a
 * create and Conflict (stale resourceVersion) otherwise; 401 and 403 are Forbidden (the
 * ServiceAccount may not do this); 429, 5xx, 410 and a failed connection are Unavailable (retry
 * later). What the port has no word for (422 Invalid, 400 BadRequest: a spec the CRD schema
 * rejects) is a defect of the caller, raised with the API server's message.
 *
 * @module
 */

/**
 * The ClusterError for an error of the client, or undefined when it is a defect.
 *
 * @example
 * ```ts
 * toClusterError("get", "Job", "e1-client", new KubeApiError(403, "Forbidden", "..."))?.code; // "Forbidden"
 * ```
 */
export function toClusterError(
  operation: string,
  kind: string,
  name: string,
  error: unknown,
): ClusterError | undefined {
  const make = (code: ClusterError["code"], message: string) =>
    new ClusterError({ operation, kind, name, code, message });
  if (error instanceof TransportError) return make("Unavailable", error.message);
  if (!(error instanceof KubeApiError)) return undefined;
  const { status, reason, message } = error;
  if (status === 404) return make("NotFound", message);
  if (status === 409) return make(reason === "AlreadyExists" ? "AlreadyExists" : "Conflict", message);
  if (status === 401 || status === 403) return make("Forbidden", message);
  if (status === 410 || status === 429 || status >= 500) return make("Unavailable", message);
  return undefined;
}

/**
 * A client call as an Effect failing with a ClusterError; a defect (see the module note) dies.
 *
 * @example
 * ```ts
 * const job = yield* attempt("get", "Job", "e1-client", () => client.get(jobType, ns, "e1-client"));
 * ```
 */
export const attempt = <A>(
  operation: string,
  kind: string,
  name: string,
  run: () => Promise<A>,
): Effect.Effect<A, ClusterError> =>
  Effect.tryPromise({
    try: run,
    catch: (error) => {
      const mapped = toClusterError(operation, kind, name, error);
      if (mapped === undefined) throw error;
      return mapped;
    },
  });
