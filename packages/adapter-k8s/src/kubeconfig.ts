import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { parse } from "yaml";
import type { K8sConfigInput } from "./config.js";

/**
 * Where a process finds its API server: a kubeconfig file (the current context's cluster, user and
 * namespace) or, inside a pod, the ServiceAccount Kubernetes mounts at
 * `/var/run/secrets/kubernetes.io/serviceaccount` with `KUBERNETES_SERVICE_HOST` and `_PORT`.
 * Only what the adapter can use is read: a bearer token (`token` or `tokenFile`) and the cluster's
 * CA (`certificate-authority-data` or `certificate-authority`); TLS is always verified. Anything
 * else (client certificates, exec plugins, `insecure-skip-tls-verify`) is refused with a
 * {@link KubeconfigError} that says what was found and what is expected.
 *
 * @module
 */

/** The ServiceAccount directory every pod gets. */
export const serviceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * A kubeconfig or ServiceAccount that cannot give the adapter a server, a token and a CA; the
 * message names the file or directory, the field, what was found (never a token) and what was
 * expected.
 */
export class KubeconfigError extends Error {
  override readonly name = "KubeconfigError";
}

type Named<T> = { name?: unknown } & T;
interface Kubeconfig {
  "current-context"?: unknown;
  contexts?: Named<{ context?: { cluster?: unknown; user?: unknown; namespace?: unknown } }>[];
  clusters?: Named<{ cluster?: Record<string, unknown> }>[];
  users?: Named<{ user?: Record<string, unknown> }>[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function readText(file: string, what: string, fail: (m: string) => never): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(`cannot read ${what} ${file} (${code ?? (error as Error).message})`);
  }
}

function named<T>(list: unknown, name: string, field: string, fail: (m: string) => never): Named<T> {
  if (!Array.isArray(list))
    return fail(`${field}: expected a list, got ${JSON.stringify(list) ?? "nothing"}`);
  const found = list.find((e) => isRecord(e) && e.name === name);
  if (found === undefined)
    return fail(
      `${field}: no entry named "${name}" (has: ${list.map((e) => JSON.stringify(isRecord(e) ? e.name : e)).join(", ") || "none"})`,
    );
  return found as Named<T>;
}

/**
 * The adapter's settings from a kubeconfig file: the current context (or the only one), its
 * cluster's `server` and CA, its user's bearer token, its namespace (default `default`). Relative
 * `certificate-authority` and `tokenFile` paths are read from the kubeconfig's directory.
 *
 * @example
 * ```ts
 * const layer = layerK8s(loadKubeconfig(process.env.KUBECONFIG ?? `${homedir()}/.kube/config`));
 * ```
 */
export function loadKubeconfig(file: string): K8sConfigInput {
  const fail = (m: string): never => {
    throw new KubeconfigError(`kubeconfig ${file}: ${m}`);
  };
  const text = readText(file, "the file", (m) => {
    throw new KubeconfigError(`kubeconfig: ${m}`);
  });
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    fail(`not YAML (${(error as Error).message.split("\n")[0]})`);
  }
  if (!isRecord(doc) || (doc.kind !== undefined && doc.kind !== "Config"))
    fail(`expected a kubeconfig (kind: Config, with clusters, users and contexts)`);
  const config = doc as Kubeconfig;
  const contexts = Array.isArray(config.contexts) ? config.contexts : [];
  let current = config["current-context"];
  if ((current === undefined || current === "") && contexts.length === 1) current = contexts[0]?.name;
  if (typeof current !== "string" || current === "")
    fail(
      `current-context: not set, and ${contexts.length} contexts to choose from; expected one to be current`,
    );
  const context = named<{ context?: Record<string, unknown> }>(
    config.contexts,
    current as string,
    "contexts",
    fail,
  ).context;
  if (!isRecord(context)) return fail(`contexts.${current}: expected a context with cluster and user`);
  const cluster = named<{ cluster?: Record<string, unknown> }>(
    config.clusters,
    String(context.cluster),
    "clusters",
    fail,
  ).cluster;
  if (!isRecord(cluster))
    return fail(`clusters.${context.cluster}: expected server and certificate authority`);
  const user = named<{ user?: Record<string, unknown> }>(
    config.users,
    String(context.user),
    "users",
    fail,
  ).user;
  const base = dirname(file);
  const resolve = (p: string) => (isAbsolute(p) ? p : join(base, p));
  const server = cluster.server;
  if (typeof server !== "string" || !server.startsWith("https://"))
    fail(`clusters.${context.cluster}.server: got ${JSON.stringify(server)}, expected an https:// URL`);
  if (cluster["insecure-skip-tls-verify"] === true)
    fail(
      `clusters.${context.cluster}.insecure-skip-tls-verify: true; expected the cluster's CA (certificate-authority or certificate-authority-data): phasekit always verifies TLS`,
    );
  let ca: string;
  if (typeof cluster["certificate-authority-data"] === "string")
    ca = Buffer.from(cluster["certificate-authority-data"], "base64").toString("utf8");
  else if (typeof cluster["certificate-authority"] === "string")
    ca = readText(resolve(cluster["certificate-authority"]), "the certificate authority", fail);
  else
    return fail(
      `clusters.${context.cluster}: no certificate-authority-data or certificate-authority; expected the cluster's CA (phasekit always verifies TLS)`,
    );
  if (!ca.includes("-----BEGIN CERTIFICATE-----"))
    fail(`clusters.${context.cluster}: the certificate authority is not a PEM certificate`);
  const u = isRecord(user) ? user : {};
  let token: string;
  if (typeof u.token === "string" && u.token !== "") token = u.token;
  else if (typeof u.tokenFile === "string")
    token = readText(resolve(u.tokenFile), "the token file", fail).trim();
  else {
    const has = Object.keys(u).join(", ") || "nothing";
    return fail(
      `users.${context.user}: has ${has}; expected a bearer token (token or tokenFile): client certificates, exec and auth-provider plugins are not supported`,
    );
  }
  const namespace =
    typeof context.namespace === "string" && context.namespace !== "" ? context.namespace : "default";
  return { server: (server as string).replace(/\/+$/, ""), token, ca, namespace };
}

/**
 * The adapter's settings inside a pod: the ServiceAccount's `token`, `ca.crt` and `namespace` from
 * `dir` (default {@link serviceAccountDir}; `PHASEKIT_K8S_SERVICEACCOUNT_DIR` overrides it, for tests
 * only) and the API server from `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT`. The token is
 * read once, when called.
 *
 * @example
 * ```ts
 * const layer = layerK8s(inClusterConfig());
 * ```
 */
export function inClusterConfig(env: NodeJS.ProcessEnv = process.env, dir?: string): K8sConfigInput {
  const where = dir ?? env.PHASEKIT_K8S_SERVICEACCOUNT_DIR ?? serviceAccountDir;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port)
    throw new KubeconfigError(
      `in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set; expected to run in a pod (Kubernetes sets them), or give a kubeconfig path`,
    );
  const fail = (m: string): never => {
    throw new KubeconfigError(`in-cluster: ${m}; expected the ServiceAccount Kubernetes mounts in a pod`);
  };
  const token = readText(join(where, "token"), "the ServiceAccount token", fail).trim();
  const ca = readText(join(where, "ca.crt"), "the cluster CA", fail);
  let namespace = "default";
  try {
    namespace = readFileSync(join(where, "namespace"), "utf8").trim() || "default";
  } catch {
    // No namespace file: the ServiceAccount's namespace is unknown, so `default`.
  }
  const server = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return { server, token, ca, namespace };
}
