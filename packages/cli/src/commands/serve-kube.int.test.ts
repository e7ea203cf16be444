import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type KubeNamespace, kubeNamespace, kubeTestCluster } from "../testing/kube.js";
import { eventually, type ServeProcess, spawnPhasekit, waitForOutput } from "../testing/processes.js";

// `--kube` from the command line, against the project's real API server (kube-apiserver, the
// controllers and kwok, which runs the steps' pods): each test in a namespace of its own, as the
// adapter's ServiceAccount, read from a kubeconfig file or from a ServiceAccount directory laid out
// as a pod has it (PHASEKIT_K8S_SERVICEACCOUNT_DIR, the tests' override of the pod's path).

const { admin, adminClient } = await kubeTestCluster();
const children: ServeProcess[] = [];
const namespaces: KubeNamespace[] = [];
const dir = mkdtempSync(join(tmpdir(), "phasekit-kube-"));
writeFileSync(join(dir, "tokens.json"), JSON.stringify({ "alice-token": "alice" }));

afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null) c.child.kill("SIGTERM");
  await Promise.all(namespaces.map((n) => n.cleanup()));
});

async function namespace(prefix: string) {
  const ns = await kubeNamespace(prefix);
  namespaces.push(ns);
  return ns;
}

function run(args: readonly string[], env: Record<string, string> = {}) {
  const p = spawnPhasekit(args, env);
  children.push(p);
  return p;
}

const model = (name: string) => ({
  account: "alice",
  name,
  artifact: { kind: "HuggingFaceCache" },
  source: { kind: "HuggingFaceHub" },
  resources: {},
});

/** Creates Models through the API at `url` and waits until each is Ready; returns their ids. */
async function modelsReady(url: string, count: number): Promise<string[]> {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: "Bearer alice-token", "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as { id: string; status: string } };
  };
  const created = await Promise.all(
    Array.from({ length: count }, (_, i) => call("POST", "/models", model(`m${i}`))),
  );
  expect(created.map((c) => c.status)).toEqual(created.map(() => 201));
  const ids = created.map((c) => c.body.id);
  await eventually(
    "every Model is Ready",
    async () =>
      (await Promise.all(ids.map((id) => call("GET", `/models/${id}`)))).every(
        (r) => r.body.status === "Ready",
      ),
    { timeoutMs: 120_000 },
  );
  return ids;
}

/** The names of the Jobs phasekit made in `ns`. */
async function jobs(ns: string): Promise<string[]> {
  const list = (await adminClient.call("GET", `/apis/batch/v1/namespaces/${ns}/jobs`)) as {
    items: { metadata: { name: string } }[];
  };
  return list.items.map((j) => j.metadata.name);
}

async function listening(p: ServeProcess): Promise<string> {
  await waitForOutput(p, "/v0\n");
  return /(http:\/\/\S+\/v0)\n/.exec(p.output())![1]!;
}

describe("phasekit serve api --kube: the memory control plane, its cluster on Kubernetes", () => {
  it("with a kubeconfig: Models become Ready through real Jobs whose pods kwok runs", async () => {
    const ns = await namespace("cli-kube");
    const api = run(["serve", "api", "--tokens", join(dir, "tokens.json"), "--kube", ns.kubeconfig]);
    const ids = await modelsReady(await listening(api), 3);
    expect(api.output()).toContain(`cluster on Kubernetes ${admin.server} namespace ${ns.namespace}`);
    const made = await jobs(ns.namespace);
    for (const id of ids) expect(made.some((j) => j.startsWith(id))).toBe(true);
    api.child.kill("SIGTERM");
    expect(await api.exited).toBe(0);
  });

  it("with --kube in-cluster: the ServiceAccount's token, CA and namespace, the server from KUBERNETES_SERVICE_*", async () => {
    const ns = await namespace("cli-incluster");
    const server = new URL(admin.server);
    const api = run(["serve", "api", "--tokens", join(dir, "tokens.json"), "--kube", "in-cluster"], {
      KUBERNETES_SERVICE_HOST: server.hostname,
      KUBERNETES_SERVICE_PORT: server.port,
      PHASEKIT_K8S_SERVICEACCOUNT_DIR: ns.serviceAccountDir,
    });
    const [id] = await modelsReady(await listening(api), 1);
    expect((await jobs(ns.namespace)).some((j) => j.startsWith(id!))).toBe(true);
    api.child.kill("SIGTERM");
    expect(await api.exited).toBe(0);
  });

  it("a server that does not answer, or refuses the credentials: exit 2 naming --kube, the value and what was expected", async () => {
    const ns = await namespace("cli-refused");
    const unreachable = join(dir, "unreachable.yaml");
    const forbidden = join(dir, "forbidden.yaml");
    const config = (server: string, token: string) =>
      stringify({
        clusters: [
          {
            name: "c",
            cluster: { server, "certificate-authority-data": Buffer.from(admin.ca).toString("base64") },
          },
        ],
        users: [{ name: "u", user: { token } }],
        contexts: [{ name: "x", context: { cluster: "c", user: "u", namespace: ns.namespace } }],
        "current-context": "x",
      });
    writeFileSync(unreachable, config("https://127.0.0.1:1", "t"));
    writeFileSync(forbidden, config(admin.server, "not-a-valid-token"));
    for (const [file, why] of [
      [
        unreachable,
        /the API server https:\/\/127\.0\.0\.1:1 .*cannot be used: .*expected a reachable Kubernetes API server/,
      ],
      [forbidden, /cannot be used: .*expected a reachable Kubernetes API server that serves the Dyff CRDs/],
    ] as const) {
      const p = run(["serve", "api", "--tokens", join(dir, "tokens.json"), "--kube", file]);
      expect(await p.exited).toBe(2);
      expect(p.output()).toContain(`--kube: got "${file}"`);
      expect(p.output()).toMatch(why);
      expect(p.output()).not.toMatch(/\n\s+at /);
      expect(p.output()).not.toContain("not-a-valid-token");
    }
  });
});

describe("phasekit simulate --kube: a scenario played in real time on the cluster", () => {
  for (const file of ["dependency-chain.yaml", "inference-fails.yaml"])
    it(`examples/${file} ends as in the in-memory run, and leaves no workflow behind`, async () => {
      const ns = await namespace("cli-sim");
      const p = run(["simulate", `examples/${file}`, "--kube", ns.kubeconfig]);
      expect(await p.exited).toBe(0);
      expect(p.output()).toContain("every final status as in the in-memory run");
      const left = (await adminClient.call(
        "GET",
        `/apis/dyff.phasekit.dev/v1alpha1/namespaces/${ns.namespace}/models`,
      )) as { items: unknown[] };
      expect(left.items).toEqual([]);
    });
});
