import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { type TestCluster, testCluster } from "../../../adapter-k8s/src/testing/env.js";
import { adapterNamespace, ensureCrds } from "../../../adapter-k8s/src/testing/setup.js";

/**
 * For the CLI's `--kube` tests: the test cluster (they FAIL, never skip, without it), and per test a
 * fresh namespace with the adapter's ServiceAccount, written out as a kubeconfig file (and as the
 * directory a pod's ServiceAccount is mounted in, for `--kube in-cluster`).
 *
 * @module
 */

/** A namespace of its own, as the CLI reads it. */
export interface KubeNamespace {
  readonly namespace: string;
  readonly server: string;
  /** A kubeconfig whose current context is the ServiceAccount in `namespace`. */
  readonly kubeconfig: string;
  /** `token`, `ca.crt` and `namespace`, as Kubernetes mounts them in a pod. */
  readonly serviceAccountDir: string;
  readonly cleanup: () => Promise<void>;
}

let cluster: Promise<TestCluster> | undefined;
/** The test cluster with the Dyff CRDs installed (once per test file). */
export async function kubeTestCluster(): Promise<TestCluster> {
  cluster ??= testCluster().then(async (c) => {
    await ensureCrds(c.adminClient);
    return c;
  });
  return cluster;
}

/** A fresh namespace `<prefix>-<random>` with the adapter's identity, as files the CLI reads. */
export async function kubeNamespace(prefix: string): Promise<KubeNamespace> {
  const { admin, adminClient } = await kubeTestCluster();
  const ns = await adapterNamespace(adminClient, admin, prefix);
  const dir = mkdtempSync(join(tmpdir(), `phasekit-${prefix}-`));
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: "test",
          cluster: {
            server: admin.server,
            "certificate-authority-data": Buffer.from(admin.ca).toString("base64"),
          },
        },
      ],
      users: [{ name: "adapter", user: { token: ns.token } }],
      contexts: [{ name: "test", context: { cluster: "test", user: "adapter", namespace: ns.namespace } }],
      "current-context": "test",
    }),
  );
  const serviceAccountDir = join(dir, "serviceaccount");
  mkdirSync(serviceAccountDir);
  writeFileSync(join(serviceAccountDir, "token"), ns.token);
  writeFileSync(join(serviceAccountDir, "ca.crt"), admin.ca);
  writeFileSync(join(serviceAccountDir, "namespace"), ns.namespace);
  return {
    namespace: ns.namespace,
    server: admin.server,
    kubeconfig,
    serviceAccountDir,
    cleanup: ns.cleanup,
  };
}
