import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { request } from "node:https";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conform } from "../commands/conform.js";
import type { Io } from "../io.js";
import { type PodStage, pod, podStatus } from "./pods.js";

/**
 * `phasekit conform` on a live watch of the project's real kube-apiserver: Pods are created and
 * driven through a Run:ai training job's life by patching their status subresource (they name a
 * scheduler that does not exist, so neither the scheduler nor kwok touches them), while conform
 * reads the API's watch stream as it arrives, exactly as `kubectl get pods -w -o json | phasekit
 * conform -` would. One pod is forced into an impossible sequence (Succeeded, then Unknown) and
 * must be reported while the watch is still open.
 */
const howTo =
  'run ./test, or: scripts/k8s/cluster.sh start && eval "$(scripts/k8s/cluster.sh env)" && pnpm test:int';
const server = process.env.PHASEKIT_K8S_SERVER;
const token = process.env.PHASEKIT_K8S_TOKEN;
const caFile = process.env.PHASEKIT_K8S_CA;
if (!server || !token || !caFile)
  throw new Error(
    process.env.CI === "true"
      ? "conform live test: PHASEKIT_K8S_SERVER, PHASEKIT_K8S_TOKEN and PHASEKIT_K8S_CA are not set; under CI the run must start the API server, so this test fails rather than skips"
      : `conform live test needs a real API server (PHASEKIT_K8S_SERVER, PHASEKIT_K8S_TOKEN, PHASEKIT_K8S_CA): ${howTo}`,
  );
const ca = readFileSync(caFile);
const base = new URL(server);

function call(method: string, path: string, body?: unknown, type = "application/json"): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        path,
        method,
        ca,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": type }),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () =>
          (res.statusCode ?? 500) < 300
            ? resolve(text.startsWith("{") ? JSON.parse(text) : text)
            : reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`)),
        );
      },
    );
    req.on("error", reject);
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

/**
 * Opens the API's watch of the namespace's pods: the raw chunked body, as it arrives, through a pipe
 * that `close` ends (as when kubectl is stopped), so the reader sees the end of its input.
 */
function watch(path: string): Promise<{ res: PassThrough; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        path,
        method: "GET",
        ca,
        headers: { authorization: `Bearer ${token}` },
      },
      (res: IncomingMessage) => {
        const pipe = new PassThrough();
        res.pipe(pipe);
        resolve({
          res: pipe,
          close: () => {
            res.unpipe(pipe);
            pipe.end();
            req.destroy();
          },
        });
      },
    );
    req.on("error", (e) => ((e as { code?: string }).code === "ECONNRESET" ? undefined : reject(e)));
    req.end();
  });
}

const ns = `conform-${process.pid}-${Date.now() % 100000}`;
const at = (m: number) => `2026-03-02T10:${String(m).padStart(2, "0")}:00Z`;

async function create(name: string) {
  const p = pod(name, "training", "unschedulable", at(0), ns) as {
    spec: Record<string, unknown>;
    status?: unknown;
  };
  p.spec.schedulerName = "phasekit-conform-nobody";
  delete p.status;
  await call("POST", `/api/v1/namespaces/${ns}/pods`, p);
}
async function drive(name: string, stage: PodStage, m: number, phase?: string) {
  const status = podStatus(stage, "main", at(m));
  if (phase) status.phase = phase;
  await call(
    "PATCH",
    `/api/v1/namespaces/${ns}/pods/${name}/status`,
    { status },
    "application/merge-patch+json",
  );
}

async function until(what: string, check: () => boolean, ms = 60_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("phasekit conform on a live kube-apiserver watch", () => {
  beforeAll(async () => {
    await call("GET", "/readyz").catch((e) => {
      throw new Error(`${server}/readyz does not answer (${(e as Error).message}); ${howTo}`);
    });
    await call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  });
  afterAll(async () => {
    await call("DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
  });

  it("judges Run:ai statuses as events arrive, and reports the pod forced into an impossible sequence", async () => {
    const stream = await watch(`/api/v1/namespaces/${ns}/pods?watch=true&allowWatchBookmarks=true`);
    let out = "";
    let err = "";
    const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), interactive: false };
    const judged = conform(["-"], {}, io, stream.res);

    // A training job's life: Pending/NotEnoughResources, ContainerCreating, Running, Succeeded.
    await create("train-ok");
    for (const [stage, m] of [
      ["unschedulable", 1],
      ["creating", 2],
      ["running", 3],
      ["succeeded", 9],
    ] as const)
      await drive("train-ok", stage, m);
    // Impossible for Run:ai: the job ends Succeeded, then its pod is marked as finished while the
    // scheduler was down (runai.phasekit.dev/scheduler-running: "false"), which Run:ai shows as
    // Unknown: an end state changing into another one.
    await create("train-bad");
    await drive("train-bad", "creating", 1);
    await drive("train-bad", "running", 2);
    await drive("train-bad", "succeeded", 4);
    await call(
      "PATCH",
      `/api/v1/namespaces/${ns}/pods/train-bad`,
      { metadata: { annotations: { "runai.phasekit.dev/scheduler-running": "false" } } },
      "application/merge-patch+json",
    );

    await until("the violation to be printed while the watch is open", () => out.includes("VIOLATION"));
    stream.close();
    const code = await judged;
    expect(err).toBe("");
    expect(code).toBe(1);
    expect(out).toMatch(
      new RegExp(
        `VIOLATION after-terminal .*runai/TrainingJob ${ns}/train-bad: changed from the terminal status Succeeded to Unknown`,
      ),
    );
    expect(out).toMatch(new RegExp(`ok {4}runai/TrainingJob ${ns}/train-ok .*last Succeeded`));
    expect(out).toMatch(/FAIL {2}runai\/TrainingJob .*train-bad .*1 violations/);
  });
});
