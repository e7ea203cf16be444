import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testEtcdEndpoints } from "@phasekit/adapter-etcd";
import { testBrokers } from "@phasekit/adapter-kafka";
import { testPostgresUrl } from "@phasekit/adapter-postgres";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { type KubeNamespace, kubeNamespace, kubeTestCluster } from "../testing/kube.js";
import { eventually, type ServeProcess, spawnPhasekit, waitForOutput } from "../testing/processes.js";

// The full Dyff layout of docs/local-dyff.md, one process per command line as the page writes them:
// the API on Kafka and the view database, the aggregator and sink writing that view, the
// orchestrator with its admission records on etcd and its cluster on Kubernetes, the operator and
// informer on the same cluster. A Dataset, Model, InferenceService, Evaluation and Report (and a few
// more Models) go in through the API and reach their terminal statuses, their steps run as real
// Jobs and Deployments whose pods kwok runs.

const brokers = (await testBrokers()).join(",");
const etcd = await testEtcdEndpoints();
const postgres = await testPostgresUrl();
const { adminClient } = await kubeTestCluster();
const kv = `etcd://${etcd.map((e) => e.replace(/^https?:\/\//, "")).join(",")}`;
const prefix = `layout-${randomBytes(4).toString("hex")}`;
const dir = mkdtempSync(join(tmpdir(), "phasekit-layout-"));
writeFileSync(join(dir, "tokens.json"), JSON.stringify({ "alice-token": "alice" }));
writeFileSync(join(dir, "quotas.json"), JSON.stringify({ alice: { slots: 4 } }));
const children: ServeProcess[] = [];
let ns: KubeNamespace | undefined;

afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null) c.child.kill("SIGTERM");
  await Promise.all(children.map((c) => c.exited));
  await ns?.cleanup();
  const client = new pg.Client({ connectionString: postgres });
  await client.connect();
  await client.query(`DROP TABLE IF EXISTS "${prefix.replaceAll("-", "_")}_view"`);
  await client.end();
});

/** `phasekit <line>`, as the docs write it (the test's own topics, table and namespace substituted). */
function start(line: string): ServeProcess {
  const p = spawnPhasekit(line.split(" "));
  children.push(p);
  return p;
}

describe("the full Dyff layout: API, Kafka, etcd, the view database and Kubernetes, one process per command line", () => {
  it("a Dataset, Model, InferenceService, Evaluation and Report, and three more Models, reach their terminal statuses", async () => {
    ns = await kubeNamespace("layout");
    const k = ns.kubeconfig;
    const common = `--kafka ${brokers} --prefix ${prefix}`;
    const processes = [
      start(`serve aggregator,sink ${common} --view ${postgres}`),
      start(`serve orchestrator ${common} --kv ${kv} --quotas ${join(dir, "quotas.json")} --kube ${k}`),
      start(`serve operator,informer ${common} --kube ${k}`),
    ];
    const api = start(`serve api ${common} --view ${postgres} --tokens ${join(dir, "tokens.json")}`);
    for (const p of processes) await waitForOutput(p, "started");
    await waitForOutput(api, "/v0\n");
    expect(processes[1]!.output()).toContain(`cluster: Kubernetes ${ns.server} namespace ${ns.namespace}`);
    const url = /(http:\/\/\S+\/v0)\n/.exec(api.output())![1]!;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: "Bearer alice-token", "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    /** Creates through the API, retrying the 404 a dependency gets until the view shows it (as Dyff's client does). */
    const create = async (resources: string, body: unknown): Promise<string> => {
      let created = await call("POST", `/${resources}`, body);
      for (let i = 0; created.status === 404 && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 200));
        created = await call("POST", `/${resources}`, body);
      }
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body.id;
    };
    const until = async (resources: string, id: string, statuses: readonly string[]) => {
      let last: unknown;
      try {
        await eventually(
          `${resources}/${id} is ${statuses.join(" or ")}`,
          async () => statuses.includes((last = await call("GET", `/${resources}/${id}`)).body?.status),
          { timeoutMs: 180_000 },
        );
      } catch (error) {
        const outputs = [...processes, api].map((p) => p.output().split("\n").slice(-15).join("\n"));
        throw new Error(
          `${(error as Error).message}; last answer ${JSON.stringify(last)}\n${outputs.join("\n---\n")}`,
        );
      }
    };
    const schema = { arrowSchema: "" };
    const model = (name: string) => ({
      account: "alice",
      name,
      artifact: { kind: "x" },
      source: { kind: "y" },
      resources: {},
    });

    const dataset = await create("datasets", {
      account: "alice",
      name: "mnist",
      artifacts: [{ kind: "parquet", path: "a.parquet" }],
      schema,
    });
    await until("datasets", dataset, ["Created"]);
    expect((await call("POST", `/datasets/${dataset}/finalize`)).status).toBe(200);
    const m = await create("models", model("m"));
    const others = await Promise.all(["a", "b", "c"].map((n) => create("models", model(n))));
    const service = await create("inferenceservices", {
      account: "alice",
      name: "svc",
      model: m,
      interface: { endpoint: "generate", outputSchema: schema },
    });
    const evaluation = await create("evaluations", {
      account: "alice",
      dataset,
      inferenceSession: { inferenceService: service },
    });
    const report = await create("reports", { account: "alice", rubric: "acc", evaluation });

    await until("datasets", dataset, ["Ready"]);
    for (const id of [m, ...others]) await until("models", id, ["Ready"]);
    await until("inferenceservices", service, ["Ready"]);
    await until("evaluations", evaluation, ["Complete"]);
    await until("reports", report, ["Complete"]);

    // The work ran on the cluster: a Job for each Model's fetch, in the test's namespace.
    const jobs = (await adminClient.call("GET", `/apis/batch/v1/namespaces/${ns.namespace}/jobs`)) as {
      items: { metadata: { name: string } }[];
    };
    for (const id of [m, ...others])
      expect(jobs.items.some((j) => j.metadata.name.startsWith(id))).toBe(true);
    for (const p of [...processes, api]) expect(p.output()).not.toMatch(/failed:|cannot start/);
  });
});
