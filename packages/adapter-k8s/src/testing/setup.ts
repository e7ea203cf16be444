import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { parseAllDocuments } from "yaml";
import { createKubeClient, KubeApiError, type KubeClient, type ResourceType } from "../client.js";
import { type InstallReport, installCrds } from "../crd/install.js";

/**
 * Setup for the integration tests, done with the administrator's token: the CRDs (once), then per
 * test a fresh namespace with the adapter's ServiceAccount, Role and RoleBinding applied from
 * `manifests/rbac.yaml`, and a token for that ServiceAccount from the TokenRequest API. The adapter
 * under test runs with that token only.
 *
 * @module
 */

const manifestsDir = new URL("../../manifests/", import.meta.url);

const types: Record<string, ResourceType> = {
  Namespace: { group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false },
  ServiceAccount: {
    group: "",
    version: "v1",
    kind: "ServiceAccount",
    plural: "serviceaccounts",
    namespaced: true,
  },
  Role: {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "Role",
    plural: "roles",
    namespaced: true,
  },
  RoleBinding: {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "RoleBinding",
    plural: "rolebindings",
    namespaced: true,
  },
};

/** The objects of `manifests/rbac.yaml`, moved to `namespace` (metadata and the binding's subject). */
export function rbacObjects(namespace: string): Record<string, unknown>[] {
  const text = readFileSync(new URL("rbac.yaml", manifestsDir), "utf8");
  return parseAllDocuments(text).map((doc) => {
    const o = doc.toJS() as { metadata: { namespace?: string }; subjects?: { namespace?: string }[] };
    o.metadata.namespace = namespace;
    for (const s of o.subjects ?? []) s.namespace = namespace;
    return o as unknown as Record<string, unknown>;
  });
}

let crds: Promise<InstallReport> | undefined;
/** Installs the CRDs once per test process. */
export const ensureCrds = (admin: KubeClient): Promise<InstallReport> => (crds ??= installCrds(admin));

/** A namespace for one test, with the adapter's identity in it. */
export interface AdapterNamespace {
  readonly namespace: string;
  /** A ServiceAccount token of `phasekit-adapter` in that namespace (1 h). */
  readonly token: string;
  /** Deletes the namespace (and everything in it); does not wait for the namespace controller. */
  readonly cleanup: () => Promise<void>;
}

async function canList(token: string, server: string, ca: string, namespace: string): Promise<boolean> {
  const probe = createKubeClient({ server, token, ca }, { requestTimeoutMs: 5_000 });
  try {
    await probe.call("GET", `/apis/batch/v1/namespaces/${namespace}/jobs?limit=1`);
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 403) return false;
    throw error;
  } finally {
    probe.close();
  }
}

/**
 * A fresh namespace `<prefix>-<random>`, the RBAC manifests applied to it, and a token of the
 * adapter's ServiceAccount, once the API server's authorizer has seen the binding.
 *
 * @example
 * ```ts
 * const ns = await adapterNamespace(adminClient, admin, "conformance");
 * const layer = layerK8s({ ...admin, token: ns.token, namespace: ns.namespace });
 * ```
 */
export async function adapterNamespace(
  admin: KubeClient,
  endpoint: { readonly server: string; readonly ca: string },
  prefix: string,
): Promise<AdapterNamespace> {
  const namespace = `${prefix}-${randomBytes(4).toString("hex")}`;
  await admin.create(types.Namespace!, "", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: namespace, labels: { "phasekit.dev/test": "true" } },
  });
  for (const object of rbacObjects(namespace)) {
    const kind = (object as { kind: string }).kind;
    await admin.create(types[kind]!, namespace, object);
  }
  const request = (await admin.call(
    "POST",
    `/api/v1/namespaces/${namespace}/serviceaccounts/phasekit-adapter/token`,
    { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 3600 } },
  )) as { status: { token: string } };
  const token = request.status.token;
  // RBAC is read from the API server's caches: a new binding takes effect a few milliseconds later.
  for (let i = 0; !(await canList(token, endpoint.server, endpoint.ca, namespace)); i++) {
    if (i > 100) throw new Error(`the RoleBinding in ${namespace} did not take effect within 10 s`);
    await sleep(100);
  }
  return {
    namespace,
    token,
    cleanup: async () => {
      await admin.delete(types.Namespace!, "", namespace, "Background").catch(() => {});
    },
  };
}
