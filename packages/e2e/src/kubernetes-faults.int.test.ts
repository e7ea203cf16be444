import { layerMemory, MemoryBackend, type MemoryPorts } from "@phasekit/adapter-memory";
import {
  Cluster,
  type ClusterError,
  type ControlPlane,
  createEntity,
  decodeState,
  makeControlPlane,
  type NewClusterObject,
  stepName,
} from "@phasekit/core";
import { Effect, type Scope } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { createKubeClient, type KubeObject } from "../../adapter-k8s/src/client.js";
import { customType, defaultGroup, nativeTypes, podType } from "../../adapter-k8s/src/kinds.js";
import { layerK8s } from "../../adapter-k8s/src/layer.js";
import { testCluster } from "../../adapter-k8s/src/testing/env.js";
import { type AdapterNamespace, adapterNamespace, ensureCrds } from "../../adapter-k8s/src/testing/setup.js";
import { waitFor } from "../../adapter-k8s/src/testing/wait.js";
import { ListWatch } from "../../adapter-k8s/src/watch/list-watch.js";
import { defaultWatchTiming } from "../../adapter-k8s/src/watch/timing.js";

/**
 * Faults of the cluster under the control plane: a workflow's resource deleted while its Job runs,
 * a step's Job deleted while it runs, and the same workflow created twice (two adapters racing, and
 * the orchestrator under duplicate delivery). The control plane runs for real (logs in memory).
 */
const { admin, adminClient } = await testCluster();
await ensureCrds(adminClient);
const namespaces: AdapterNamespace[] = [];
afterAll(async () => {
  for (const ns of namespaces) await ns.cleanup();
});

const tokens = {
  "alice-token": { account: "alice", verbs: ["create", "terminate", "delete", "label", "get"] as never[] },
};
const now = () => new Date().toISOString();

async function namespace(prefix: string) {
  const ns = await adapterNamespace(adminClient, admin, prefix);
  namespaces.push(ns);
  return ns;
}

const k8s = (ns: AdapterNamespace, podAnnotations?: (step: NewClusterObject) => Record<string, string>) =>
  layerK8s({
    server: admin.server,
    ca: admin.ca,
    token: ns.token,
    namespace: ns.namespace,
    ...(podAnnotations ? { podAnnotations } : {}),
  });

/** Runs `program` with the cluster on Kubernetes and every other port in memory. */
const onKubernetes = <A, E>(
  ns: AdapterNamespace,
  program: Effect.Effect<A, E, MemoryPorts | MemoryBackend | Scope.Scope>,
  options: { podAnnotations?: (step: NewClusterObject) => Record<string, string>; duplicate?: number } = {},
) =>
  Effect.runPromise(
    Effect.scoped(program).pipe(
      Effect.provide(k8s(ns, options.podAnnotations)),
      Effect.provide(layerMemory({ tokens, seed: 7, faults: { duplicate: options.duplicate ?? 0 } })),
    ),
  );

/** Steps the control plane every 200 ms until `done` holds (at most `timeoutMs`). */
const runUntil = <E, R>(
  plane: ControlPlane,
  done: Effect.Effect<boolean, E, R>,
  what: string,
  timeoutMs = 60_000,
) =>
  Effect.gen(function* () {
    const deadline = Date.now() + timeoutMs;
    while (!(yield* done)) {
      if (Date.now() > deadline) return yield* Effect.die(new Error(`timed out waiting for ${what}`));
      yield* plane.runOnce(now());
      yield* Effect.sleep(200);
    }
  });

/** Every status `id` passed through, from the state log (version order). */
const history = (id: string) =>
  Effect.gen(function* () {
    const backend = yield* MemoryBackend;
    return backend.state
      .records()
      .filter((r) => r.key === id)
      .map((r) => decodeState(r.key, r.value))
      .flatMap((s) => (s instanceof Error ? [] : [s]))
      .sort((a, b) => a.version - b.version)
      .map((s) => (s.entity.reason ? `${s.entity.status}/${s.entity.reason}` : s.entity.status))
      .filter((s, i, all) => i === 0 || all[i - 1] !== s);
  });

const lastStatus = (id: string) => Effect.map(history(id), (h) => h.at(-1));

const podsOf = async (ns: AdapterNamespace, job: string) =>
  (await adminClient.list(podType, ns.namespace, { labelSelector: `job-name=${job}` })).items;
const phase = (pod: KubeObject | undefined) => (pod?.status as { phase?: string } | undefined)?.phase;
const exists = (type: Parameters<typeof adminClient.get>[0], ns: AdapterNamespace, name: string) =>
  adminClient.get(type, ns.namespace, name).then(
    () => true,
    () => false,
  );

describe("faults under the control plane, on Kubernetes", () => {
  it("a workflow's resource deleted while its Job runs: the informer reports Terminated/KubernetesResourceDeleted, and the garbage collector removes its steps", async () => {
    const ns = await namespace("fault-delete-workflow");
    const long = (step: NewClusterObject) =>
      step.name === "m1-fetch" ? { "kwok.phasekit.dev/run-duration": "1h" } : ({} as Record<string, string>);
    const statuses = await onKubernetes(
      ns,
      Effect.gen(function* () {
        const plane = yield* makeControlPlane();
        yield* createEntity("alice-token", { kind: "Model", id: "m1", account: "alice" }, now());
        const running = Effect.promise(async () => phase((await podsOf(ns, "m1-fetch"))[0]) === "Running");
        yield* runUntil(plane, running, "m1-fetch's pod to run");
        yield* Effect.promise(() =>
          adminClient.delete(customType("Model", defaultGroup), ns.namespace, "m1", "Background"),
        );
        yield* runUntil(
          plane,
          Effect.map(lastStatus("m1"), (s) => s === "Terminated/KubernetesResourceDeleted"),
          "m1 Terminated",
        );
        return yield* history("m1");
      }),
      { podAnnotations: long },
    );
    expect(statuses).toEqual(["Created", "Admitted", "Terminated/KubernetesResourceDeleted"]);
    await waitFor(async () => !(await exists(nativeTypes.Job!, ns, "m1-fetch")), "the Job to be collected");
    await waitFor(async () => (await podsOf(ns, "m1-fetch")).length === 0, "its pod to be collected");
  });

  it("a step's Job deleted while it runs: the operator, level-based, creates it again and the workflow completes", async () => {
    const ns = await namespace("fault-delete-job");
    const slow = (step: NewClusterObject) =>
      step.name === "m1-fetch" ? { "kwok.phasekit.dev/run-duration": "4s" } : ({} as Record<string, string>);
    const { statuses, first, second } = await onKubernetes(
      ns,
      Effect.gen(function* () {
        const plane = yield* makeControlPlane();
        yield* createEntity("alice-token", { kind: "Model", id: "m1", account: "alice" }, now());
        yield* runUntil(
          plane,
          Effect.promise(async () => phase((await podsOf(ns, "m1-fetch"))[0]) === "Running"),
          "m1-fetch's pod to run",
        );
        const first = (yield* Effect.promise(() =>
          adminClient.get(nativeTypes.Job!, ns.namespace, "m1-fetch"),
        )).metadata.uid;
        yield* Effect.promise(() =>
          adminClient.delete(nativeTypes.Job!, ns.namespace, "m1-fetch", "Background"),
        );
        yield* runUntil(
          plane,
          Effect.map(lastStatus("m1"), (s) => s === "Ready"),
          "m1 Ready",
        );
        const cluster = yield* Cluster;
        const second = (yield* cluster.get("Job", "m1-fetch"))?.conditions.find((c) => c.type === "Complete");
        return { statuses: yield* history("m1"), first, second };
      }),
      { podAnnotations: slow },
    );
    expect(statuses).toEqual(["Created", "Admitted", "Ready"]);
    expect(first).toEqual(expect.any(String));
    expect(second?.status).toBe("True");
    const recreated = await adminClient.get(nativeTypes.Job!, ns.namespace, "m1-fetch");
    expect(recreated.metadata.uid).not.toBe(first);
  });

  it("the same workflow created by two adapters at once: one create wins, the other is refused with AlreadyExists, and the object is created once", async () => {
    const ns = await namespace("fault-duplicate");
    const client = createKubeClient({ ...admin, token: ns.token }, { requestTimeoutMs: 10_000 });
    const type = customType("Evaluation", defaultGroup);
    const watch = new ListWatch({ client, type, namespace: ns.namespace, timing: defaultWatchTiming });
    const added: string[] = [];
    watch.subscribe((e) => e.type === "ADDED" && added.push(e.object.metadata.uid ?? ""));
    await watch.ready();
    const object = {
      kind: "Evaluation",
      name: "e1",
      owner: null,
      labels: {},
      spec: { id: "e1", account: "alice" },
    };
    const attempt = Effect.gen(function* () {
      return yield* Effect.result((yield* Cluster).create(object));
    });
    const [a, b] = await Promise.all([
      Effect.runPromise(Effect.scoped(attempt).pipe(Effect.provide(k8s(ns)))),
      Effect.runPromise(Effect.scoped(attempt).pipe(Effect.provide(k8s(ns)))),
    ]);
    const outcomes = [a, b]
      .map((r) => (r._tag === "Success" ? "created" : (r.failure as ClusterError).code))
      .sort();
    expect(outcomes).toEqual(["AlreadyExists", "created"]);
    await waitFor(() => added.length === 1, "the ADDED event");
    await new Promise((r) => setTimeout(r, 500));
    expect(added).toHaveLength(1);
    await watch.stop();
    client.close();
  });

  it("admit-once under duplicate delivery: every state message delivered again at random, the Model is admitted once and its resource created once", async () => {
    const ns = await namespace("fault-admit-once");
    const client = createKubeClient({ ...admin, token: ns.token }, { requestTimeoutMs: 10_000 });
    const watch = new ListWatch({
      client,
      type: customType("Model", defaultGroup),
      namespace: ns.namespace,
      timing: defaultWatchTiming,
    });
    const added: string[] = [];
    watch.subscribe((e) => e.type === "ADDED" && added.push(e.object.metadata.name));
    await watch.ready();
    const statuses = await onKubernetes(
      ns,
      Effect.gen(function* () {
        const plane = yield* makeControlPlane();
        yield* createEntity("alice-token", { kind: "Model", id: "m1", account: "alice" }, now());
        yield* runUntil(
          plane,
          Effect.map(lastStatus("m1"), (s) => s === "Ready"),
          "m1 Ready",
        );
        const backend = yield* MemoryBackend;
        return {
          history: yield* history("m1"),
          redelivered: backend.state.stats().redelivered + backend.events.stats().redelivered,
          fetchJobs: (yield* (yield* Cluster).list("Job")).filter((j) => j.name === stepName("m1", "fetch"))
            .length,
        };
      }),
      { duplicate: 0.5 },
    );
    expect(statuses.redelivered).toBeGreaterThan(0);
    expect(statuses.history).toEqual(["Created", "Admitted", "Ready"]);
    expect(added).toEqual(["m1"]);
    expect(statuses.fetchJobs).toBe(1);
    await watch.stop();
    client.close();
  });
});
