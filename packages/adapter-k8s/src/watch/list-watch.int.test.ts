import { type InformerEmit, type InformerEntry, observeWorkflows } from "@phasekit/core";
import { afterAll, describe, expect, it } from "vitest";
import { createKubeClient, type KubeObject } from "../client.js";
import { fromKube } from "../objects.js";
import { testCluster } from "../testing/env.js";
import { addCondition, evaluation, evaluations } from "../testing/evaluations.js";
import { startStallingProxy } from "../testing/proxy.js";
import { adapterNamespace, ensureCrds, rbacObjects } from "../testing/setup.js";
import { waitFor } from "../testing/wait.js";
import { ListWatch } from "./list-watch.js";
import type { WatchTiming } from "./timing.js";

/**
 * The list/watch loop against a real API server, as the adapter's ServiceAccount, through the faults
 * a long-running watch meets: a connection that goes silent, and errors that are not 410 (the Node
 * client's informer stops on those). The API server restart (and the 410 Gone that follows it) is
 * list-watch-restart.int.test.ts, on a control plane of its own.
 * Statuses are read from the cache the way the control plane's informer reads them
 * (`observeWorkflows`), to show that no status transition is lost.
 */
const { admin, adminClient } = await testCluster();
await ensureCrds(adminClient);
const timing: WatchTiming = {
  watchTimeoutSeconds: 2,
  stallMs: 4_000,
  backoffInitialMs: 100,
  backoffMaxMs: 1_000,
};
const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function setup(prefix: string, server = admin.server, requestTimeoutMs = 3_000) {
  const ns = await adapterNamespace(adminClient, admin, prefix);
  const client = createKubeClient({ server, ca: admin.ca, token: ns.token }, { requestTimeoutMs });
  const logs: string[] = [];
  const lw = new ListWatch({
    client,
    type: evaluations,
    namespace: ns.namespace,
    timing,
    log: (m) => logs.push(m),
  });
  closers.push(
    ns.cleanup,
    () => client.close(),
    () => lw.stop(),
  );
  return { ns, client, lw, logs };
}

/** The control plane informer's decisions, fed from the cache after every event. */
function statusesFrom(lw: ListWatch) {
  const memory = new Map<string, InformerEntry>();
  const emitted: string[] = [];
  lw.subscribe(() => {
    const objects = [...lw.items().values()].map((o) => fromKube(o, evaluations, true));
    const { emits, changed } = observeWorkflows(memory, objects, "2026-01-01T00:00:00Z");
    for (const [k, v] of changed) memory.set(k, v);
    emitted.push(...emits.map((e: InformerEmit) => (e.reason ? `${e.status}/${e.reason}` : e.status)));
  });
  return emitted;
}

const conditionsOf = (o: KubeObject | undefined) =>
  ((o?.status as { conditions?: { type: string; reason: string }[] } | undefined)?.conditions ?? []).map(
    (c) => `${c.type}/${c.reason}`,
  );

describe("the list/watch loop on a real API server", () => {
  it("lists, then delivers every write of the watch in order, the resourceVersion moving with it", async () => {
    const { ns, client, lw } = await setup("watch-order");
    await client.create(evaluations, ns.namespace, evaluation("before"));
    await lw.ready();
    expect([...lw.items().keys()]).toEqual(["before"]);
    const seen: string[] = [];
    lw.subscribe((e) => seen.push(`${e.type} ${e.object.metadata.name} ${conditionsOf(e.object).join(",")}`));
    await client.create(evaluations, ns.namespace, evaluation("e1"));
    await addCondition(client, ns.namespace, "e1", "Admitted", null);
    const last = await addCondition(client, ns.namespace, "e1", "Complete", null);
    await client.delete(evaluations, ns.namespace, "before", "Background");
    await waitFor(() => seen.length >= 4, "four events");
    expect(seen).toEqual([
      "ADDED e1 ",
      "MODIFIED e1 Admitted/Admitted",
      "MODIFIED e1 Admitted/Admitted,Complete/Complete",
      "DELETED before ",
    ]);
    expect(Number(lw.version())).toBeGreaterThanOrEqual(Number(last.metadata.resourceVersion));
  });

  it("a connection that goes silent (a proxy stops forwarding, the server keeps running) is dropped by the watchdog, and the watch resumes where it was", async () => {
    const proxy = await startStallingProxy(admin.server);
    closers.push(() => proxy.close());
    // Requests may wait longer than the watchdog: the watchdog, not a request timeout, must notice.
    const { ns, lw, logs } = await setup("watch-stall", proxy.server, 20_000);
    const direct = createKubeClient({ ...admin }, { requestTimeoutMs: 5_000 });
    closers.push(() => direct.close());
    await direct.create(evaluations, ns.namespace, evaluation("e1"));
    const statuses = statusesFrom(lw);
    await lw.ready();
    await waitFor(() => lw.items().has("e1"), "e1 in the cache");

    expect(lw.stats.stalls).toBe(0);
    expect(proxy.freeze()).toBeGreaterThanOrEqual(1);
    await addCondition(direct, ns.namespace, "e1", "Admitted", null);
    await addCondition(direct, ns.namespace, "e1", "Complete", null);

    await waitFor(() => statuses.length === 2, "the statuses after the stall", 60_000);
    expect(statuses).toEqual(["Admitted", "Complete"]);
    expect(lw.stats.stalls, logs.join("\n")).toBeGreaterThanOrEqual(1);
  });

  it("an error that is not 410 (403: the RoleBinding is gone) makes the loop back off and retry, not stop; it resumes once the binding is back", async () => {
    const { ns, client, lw, logs } = await setup("watch-forbidden");
    await client.create(evaluations, ns.namespace, evaluation("e1"));
    const statuses = statusesFrom(lw);
    await lw.ready();
    const rolebindings = {
      group: "rbac.authorization.k8s.io",
      version: "v1",
      kind: "RoleBinding",
      plural: "rolebindings",
      namespaced: true,
    };
    await adminClient.delete(rolebindings, ns.namespace, "phasekit-adapter", "Background");
    await addCondition(adminClient, ns.namespace, "e1", "Admitted", null);
    // The open watch may deliver this one; the next watch (2 s later) is refused.
    await waitFor(() => lw.stats.errors >= 3, "three refused attempts", 30_000);
    expect(logs.some((l) => l.includes("forbidden"))).toBe(true);

    const binding = rbacObjects(ns.namespace).find((o) => o.kind === "RoleBinding")!;
    await adminClient.create(rolebindings, ns.namespace, binding);
    await addCondition(adminClient, ns.namespace, "e1", "Complete", null);
    await waitFor(() => statuses.includes("Complete"), "Complete after the binding is back", 60_000);
    expect(statuses).toEqual(["Admitted", "Complete"]);
  });
});
