import { show, toDecodeIssues } from "@phasekit/core";
import { z } from "zod";
import { createTransport, drain, type Endpoint, type Transport, TransportError } from "./http.js";

/**
 * The little of the Kubernetes API the adapter uses, as our own interface: get, list, create,
 * update (object or status), delete, watch, and a raw call for the odd endpoint (TokenRequest). It is
 * a thin client over HTTPS with zod schemas for what it reads, rather than `@kubernetes/client-node`,
 * because the adapter needs to own the watch (bookmarks, 410, restarts, stalls) and touches few kinds.
 * Promise-based and Effect-free: it is the seam another client would implement.
 *
 * @module
 */

/** Where a kind lives in the API. */
export interface ResourceType {
  /** `""` for the core group (`v1`). */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The lower-case plural of the path, e.g. `jobs`. */
  readonly plural: string;
  readonly namespaced: boolean;
}

/**
 * `batch/v1`, or `v1` for the core group.
 *
 * @example
 * ```ts
 * apiVersionOf(nativeTypes.Job); // "batch/v1"
 * ```
 */
export const apiVersionOf = (t: ResourceType): string =>
  t.group === "" ? t.version : `${t.group}/${t.version}`;

const stringMap = z.record(z.string(), z.string());

/** `metadata` as the adapter reads it; everything else passes through. */
export const kubeObjectMeta = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().optional(),
  creationTimestamp: z.string().nullish(),
  deletionTimestamp: z.string().nullish(),
  labels: stringMap.nullish(),
  annotations: stringMap.nullish(),
  finalizers: z.array(z.string()).nullish(),
  ownerReferences: z
    .array(
      z.looseObject({
        apiVersion: z.string(),
        kind: z.string(),
        name: z.string(),
        uid: z.string(),
        controller: z.boolean().nullish(),
        blockOwnerDeletion: z.boolean().nullish(),
      }),
    )
    .nullish(),
});

/**
 * Any object: kind, apiVersion, metadata; spec and status are read by whoever knows the kind.
 *
 * @example
 * ```ts
 * const job = kubeObject.parse(await client.call("GET", path));
 * ```
 */
export const kubeObject = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: kubeObjectMeta,
  spec: z.unknown().optional(),
  status: z.unknown().optional(),
});
export type KubeObject = z.output<typeof kubeObject>;

const kubeList = z.looseObject({
  metadata: z.looseObject({ resourceVersion: z.string() }),
  items: z.array(kubeObject),
});

/** A `metav1.Status`, the body of every error answer (and of a watch's ERROR event). */
const kubeStatus = z.looseObject({
  kind: z.literal("Status"),
  code: z.number().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

/** One event of a watch. BOOKMARK objects carry only `metadata.resourceVersion`. */
export type WatchEvent =
  | { readonly type: "ADDED" | "MODIFIED" | "DELETED"; readonly object: KubeObject }
  | { readonly type: "BOOKMARK"; readonly resourceVersion: string }
  | { readonly type: "ERROR"; readonly error: KubeApiError };

/**
 * The API server answered with an error status: `status` is the HTTP code, `reason` the Status
 * reason (`NotFound`, `Conflict`, `Expired`...), `message` the server's, prefixed by the call.
 *
 * @example
 * ```ts
 * try { await client.get(jobType, ns, "j1"); } catch (e) { if (e instanceof KubeApiError && e.status === 404) ... }
 * ```
 */
export class KubeApiError extends Error {
  override readonly name = "KubeApiError";
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Whether an error means "your resourceVersion is too old: list again" (HTTP 410, or a watch ERROR
 * with code 410).
 *
 * @example
 * ```ts
 * isGone(new KubeApiError(410, "Expired", "too old resource version")); // true
 * ```
 */
export const isGone = (e: unknown): boolean => e instanceof KubeApiError && e.status === 410;

function apiError(status: number, body: unknown, what: string): KubeApiError {
  const parsed = kubeStatus.safeParse(body);
  if (parsed.success)
    return new KubeApiError(
      parsed.data.code ?? status,
      parsed.data.reason ?? "Unknown",
      `${what}: ${parsed.data.message ?? `HTTP ${status}`}`,
    );
  return new KubeApiError(status, "Unknown", `${what}: HTTP ${status} ${String(body).slice(0, 300)}`);
}

export interface ListOptions {
  readonly labelSelector?: string;
}

export interface WatchOptions extends ListOptions {
  readonly resourceVersion: string;
  /** The server ends the watch cleanly after this many seconds. */
  readonly timeoutSeconds: number;
}

export interface KubeClient {
  readonly get: (type: ResourceType, namespace: string, name: string) => Promise<KubeObject>;
  readonly list: (
    type: ResourceType,
    namespace: string,
    options?: ListOptions,
  ) => Promise<{ readonly items: KubeObject[]; readonly resourceVersion: string }>;
  readonly create: (type: ResourceType, namespace: string, object: unknown) => Promise<KubeObject>;
  /** PUT of the whole object; `metadata.resourceVersion` in it makes it a compare-and-swap (409 Conflict). */
  readonly update: (
    type: ResourceType,
    namespace: string,
    name: string,
    object: unknown,
  ) => Promise<KubeObject>;
  /** PUT of the status subresource; same compare-and-swap. */
  readonly updateStatus: (
    type: ResourceType,
    namespace: string,
    name: string,
    object: unknown,
  ) => Promise<KubeObject>;
  readonly delete: (
    type: ResourceType,
    namespace: string,
    name: string,
    propagationPolicy: "Background" | "Foreground" | "Orphan",
  ) => Promise<void>;
  /**
   * Opens a watch with bookmarks. Rejects with a KubeApiError when the server refuses it (410 for a
   * resourceVersion too old); the events end when the server closes the watch (after
   * `timeoutSeconds`) or `signal` aborts it.
   */
  readonly watch: (
    type: ResourceType,
    namespace: string,
    options: WatchOptions,
    signal: AbortSignal,
  ) => Promise<AsyncIterable<WatchEvent>>;
  /** Any other call, JSON in and out; rejects with a KubeApiError on an error status. */
  readonly call: (
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    body?: unknown,
  ) => Promise<unknown>;
  readonly close: () => void;
}

/**
 * The path of a kind's collection: `/apis/<group>/<version>[/namespaces/<ns>]/<plural>`, or
 * `/api/v1/...` for the core group.
 *
 * @example
 * ```ts
 * collectionPath(nativeTypes.Job, "team-a"); // "/apis/batch/v1/namespaces/team-a/jobs"
 * ```
 */
export function collectionPath(type: ResourceType, namespace: string): string {
  const root = type.group === "" ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  return `${root}${type.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : ""}/${type.plural}`;
}

const query = (params: Record<string, string | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s === "" ? "" : `?${s}`;
};

function decodeOrThrow<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new KubeApiError(
      500,
      "InvalidResponse",
      `${what}: unexpected answer: ${toDecodeIssues(body, parsed.error)
        .map((i) => `${i.path}: got ${show(i.value)}, expected ${i.expected}`)
        .join("; ")}`,
    );
  return parsed.data;
}

function decodeEvent(line: string): WatchEvent {
  const raw = JSON.parse(line) as { type?: unknown; object?: unknown };
  if (raw.type === "ERROR") return { type: "ERROR", error: apiError(500, raw.object, "watch") };
  if (raw.type === "BOOKMARK") {
    const rv = (raw.object as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata
      ?.resourceVersion;
    if (typeof rv !== "string")
      throw new KubeApiError(500, "InvalidResponse", `watch: bookmark without resourceVersion`);
    return { type: "BOOKMARK", resourceVersion: rv };
  }
  if (raw.type === "ADDED" || raw.type === "MODIFIED" || raw.type === "DELETED")
    return { type: raw.type, object: decodeOrThrow(kubeObject, raw.object, `watch ${raw.type}`) };
  throw new KubeApiError(500, "InvalidResponse", `watch: unknown event type ${String(raw.type)}`);
}

/**
 * A client for one API server.
 *
 * @example
 * ```ts
 * const client = createKubeClient({ server, token, ca }, { requestTimeoutMs: 15_000 });
 * const jobs = await client.list(jobType, "default");
 * ```
 */
export function createKubeClient(
  endpoint: Endpoint,
  options: { readonly requestTimeoutMs: number },
): KubeClient {
  const http: Transport = createTransport(endpoint);
  const timeoutMs = options.requestTimeoutMs;

  const call = async (
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    body?: unknown,
  ): Promise<unknown> => {
    const response = await http.request({ method, path, body, timeoutMs });
    if (response.status >= 200 && response.status < 300) return response.body;
    throw apiError(response.status, response.body, `${method} ${path}`);
  };
  const object = async (method: "GET" | "POST" | "PUT", path: string, body?: unknown) =>
    decodeOrThrow(kubeObject, await call(method, path, body), `${method} ${path}`);
  const item = (type: ResourceType, namespace: string, name: string) =>
    `${collectionPath(type, namespace)}/${encodeURIComponent(name)}`;

  return {
    get: (type, namespace, name) => object("GET", item(type, namespace, name)),
    list: async (type, namespace, opts = {}) => {
      const path = collectionPath(type, namespace) + query({ labelSelector: opts.labelSelector });
      const list = decodeOrThrow(kubeList, await call("GET", path), `GET ${path}`);
      return { items: list.items, resourceVersion: list.metadata.resourceVersion };
    },
    create: (type, namespace, body) => object("POST", collectionPath(type, namespace), body),
    update: (type, namespace, name, body) => object("PUT", item(type, namespace, name), body),
    updateStatus: (type, namespace, name, body) =>
      object("PUT", `${item(type, namespace, name)}/status`, body),
    delete: async (type, namespace, name, propagationPolicy) => {
      await call("DELETE", item(type, namespace, name), {
        apiVersion: "v1",
        kind: "DeleteOptions",
        propagationPolicy,
      });
    },
    watch: async (type, namespace, opts, signal) => {
      const path =
        collectionPath(type, namespace) +
        query({
          watch: "true",
          allowWatchBookmarks: "true",
          resourceVersion: opts.resourceVersion,
          timeoutSeconds: String(opts.timeoutSeconds),
          labelSelector: opts.labelSelector,
        });
      const stream = await http.stream({ method: "GET", path, timeoutMs, signal });
      if (stream.status !== 200) throw apiError(stream.status, await drain(stream), `watch ${path}`);
      return (async function* () {
        try {
          for await (const line of stream.lines) yield decodeEvent(line);
        } finally {
          stream.close();
        }
      })();
    },
    call,
    close: () => http.close(),
  };
}

export { TransportError };
