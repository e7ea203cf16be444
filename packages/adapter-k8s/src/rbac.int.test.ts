import { Cluster, type ClusterError, workflowCondition } from "@phasekit/core";
import { Effect } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKubeClient, KubeApiError, type KubeClient } from "./client.js";
import { customType, defaultGroup, nativeTypes } from "./kinds.js";
import { layerK8s } from "./layer.js";
import { testCluster } from "./testing/env.js";
import { type AdapterNamespace, adapterNamespace, ensureCrds } from "./testing/setup.js";

/**
 * Least privilege, proven on the API server: the adapter runs as the ServiceAccount of
 * `manifests/rbac.yaml` with a TokenRequest token (the admin token only sets up). It can do its job
 * in its namespace (the conformance, Run:ai and control-plane tests run the same way); here it is
 * refused everything else, and the refusal reaches the port as ClusterError Forbidden.
 */
const { admin, adminClient } = await testCluster();
await ensureCrds(adminClient);
let mine: AdapterNamespace;
let other: AdapterNamespace;
let sa: KubeClient;

beforeAll(async () => {
  mine = await adapterNamespace(adminClient, admin, "rbac");
  other = await adapterNamespace(adminClient, admin, "rbac-other");
  sa = createKubeClient({ ...admin, token: mine.token }, { requestTimeoutMs: 10_000 });
  await adminClient.create(customType("Evaluation", defaultGroup), other.namespace, {
    apiVersion: `${defaultGroup}/v1alpha1`,
    kind: "Evaluation",
    metadata: { name: "theirs" },
    spec: {},
  });
});
afterAll(async () => {
  sa?.close();
  await mine?.cleanup();
  await other?.cleanup();
});

/** Runs a port operation as the adapter, in `namespace`, and returns its failure code (or "ok"). */
const asAdapter = <A>(namespace: string, op: (c: Cluster["Service"]) => Effect.Effect<A, ClusterError>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const result = yield* Effect.result(op(yield* Cluster));
      return result._tag === "Success" ? "ok" : result.failure.code;
    }).pipe(
      Effect.scoped,
      Effect.provide(
        layerK8s({ server: admin.server, ca: admin.ca, token: mine.token, namespace, steps: "external" }),
      ),
    ),
  );

const status = (call: Promise<unknown>) =>
  call.then(
    () => 200,
    (e) => (e instanceof KubeApiError ? e.status : String(e)),
  );

const evaluation = { kind: "Evaluation", name: "e1", owner: null, labels: {}, spec: { id: "e1" } };

describe("the adapter's ServiceAccount (manifests/rbac.yaml)", () => {
  it("does its job in its own namespace: create, get, list, write conditions, delete", async () => {
    const codes = await Effect.runPromise(
      Effect.gen(function* () {
        const cluster = yield* Cluster;
        const created = yield* cluster.create(evaluation);
        const conditions = [workflowCondition("Admitted", null, "2026-01-01T00:00:00Z")];
        const written = yield* cluster.writeConditions(
          "Evaluation",
          "e1",
          created.resourceVersion,
          conditions,
        );
        yield* cluster.create({ kind: "Job", name: "e1-client", owner: "e1", labels: {}, spec: {} });
        return [
          written.conditions.length,
          (yield* cluster.list("Job")).length,
          yield* cluster.delete("Evaluation", "e1"),
        ];
      }).pipe(
        Effect.scoped,
        Effect.provide(
          layerK8s({
            server: admin.server,
            ca: admin.ca,
            token: mine.token,
            namespace: mine.namespace,
            steps: "external",
          }),
        ),
      ),
    );
    expect(codes).toEqual([1, 1, undefined]);
  });

  it("cannot touch another namespace: every port operation there is Forbidden", async () => {
    const ns = other.namespace;
    expect(await asAdapter(ns, (c) => c.list("Evaluation"))).toBe("Forbidden");
    expect(await asAdapter(ns, (c) => c.get("Evaluation", "theirs"))).toBe("Forbidden");
    expect(await asAdapter(ns, (c) => c.create(evaluation))).toBe("Forbidden");
    expect(await asAdapter(ns, (c) => c.writeConditions("Evaluation", "theirs", "1", []))).toBe("Forbidden");
    expect(await asAdapter(ns, (c) => c.delete("Evaluation", "theirs"))).toBe("Forbidden");
    expect(await asAdapter(ns, (c) => c.list("Job"))).toBe("Forbidden");
    expect(await status(adminClient.get(customType("Evaluation", defaultGroup), ns, "theirs"))).toBe(200);
  });

  it("cannot write the status of a Job (Kubernetes' controllers own it): writeConditions is Forbidden", async () => {
    const code = await asAdapter(mine.namespace, (c) =>
      Effect.gen(function* () {
        const job = yield* c.create({ kind: "Job", name: "j1", owner: null, labels: {}, spec: {} });
        return yield* c.writeConditions("Job", "j1", job.resourceVersion, [
          workflowCondition("Complete", null, "2026-01-01T00:00:00Z"),
        ]);
      }),
    );
    expect(code).toBe("Forbidden");
  });

  it("cannot touch kinds it does not own, nor change a Dyff object's spec, nor grant itself more", async () => {
    const ns = mine.namespace;
    const core = (plural: string, kind: string, namespaced = true) => ({
      group: "",
      version: "v1",
      kind,
      plural,
      namespaced,
    });
    const rbac = (plural: string, kind: string) => ({
      group: "rbac.authorization.k8s.io",
      version: "v1",
      kind,
      plural,
      namespaced: true,
    });
    const refused = {
      "list secrets": await status(sa.list(core("secrets", "Secret"), ns)),
      "create a configmap": await status(
        sa.create(core("configmaps", "ConfigMap"), ns, { metadata: { name: "c" } }),
      ),
      "create a pod": await status(
        sa.create(core("pods", "Pod"), ns, {
          metadata: { name: "p" },
          spec: { containers: [{ name: "c", image: "x" }] },
        }),
      ),
      "delete pods": await status(sa.delete(core("pods", "Pod"), ns, "any", "Background")),
      "create a rolebinding": await status(
        sa.create(rbac("rolebindings", "RoleBinding"), ns, {
          metadata: { name: "escalate" },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
          subjects: [{ kind: "ServiceAccount", name: "phasekit-adapter", namespace: ns }],
        }),
      ),
      "read its own Role": await status(sa.get(rbac("roles", "Role"), ns, "phasekit-adapter")),
      "list CRDs": await status(sa.call("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions")),
      "list nodes": await status(sa.list(core("nodes", "Node", false), "")),
      "delete its namespace": await status(
        sa.delete(core("namespaces", "Namespace", false), "", ns, "Background"),
      ),
      "update a Job's spec": await status(
        sa.update(nativeTypes.Job!, ns, "any", { metadata: { name: "any" } }),
      ),
    };
    await sa.create(customType("Model", defaultGroup), ns, {
      apiVersion: `${defaultGroup}/v1alpha1`,
      kind: "Model",
      metadata: { name: "m1" },
      spec: { id: "m1" },
    });
    const model = await sa.get(customType("Model", defaultGroup), ns, "m1");
    const specUpdate = await status(
      sa.update(customType("Model", defaultGroup), ns, "m1", { ...model, spec: { id: "changed" } }),
    );
    expect({ ...refused, "update a Model's spec": specUpdate }).toEqual(
      Object.fromEntries([...Object.keys(refused), "update a Model's spec"].map((k) => [k, 403])),
    );
  });
});
