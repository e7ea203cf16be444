import { type InformerEntry, observeWorkflows } from "@phasekit/core";
import { afterAll, describe, expect, it } from "vitest";
import { recordReliability } from "../../../../scripts/reliability/record.js";
import { createKubeClient } from "../client.js";
import { installCrds } from "../crd/install.js";
import { fromKube } from "../objects.js";
import { addCondition, evaluation, evaluations } from "../testing/evaluations.js";
import { privateCluster } from "../testing/private-cluster.js";
import { adapterNamespace } from "../testing/setup.js";
import { waitFor } from "../testing/wait.js";
import { ListWatch } from "./list-watch.js";

/**
 * An API server restart mid-watch, on a control plane of the test's own (restarting the shared
 * one would break every other test's watches): the loop backs off while the server is down, gets
 * 410 Gone for its old resourceVersion, relists, and no status transition is lost. Statuses are
 * read from the cache the way the control plane's informer reads them (`observeWorkflows`), for
 * many objects at once, and the run writes its figure for RELIABILITY.md.
 */
const cluster = await privateCluster();
const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await cluster.stop();
});

const objects = 20;

describe("the list/watch loop through an API server restart", () => {
  const name = `an API server restart mid-watch over ${objects} objects: the loop backs off, gets 410 Gone, relists, and no status transition is lost`;
  it(name, async () => {
    await installCrds(cluster.adminClient);
    const ns = await adapterNamespace(cluster.adminClient, cluster.admin, "watch-restart");
    const client = createKubeClient(
      { server: cluster.admin.server, ca: cluster.admin.ca, token: ns.token },
      { requestTimeoutMs: 3_000 },
    );
    const logs: string[] = [];
    const lw = new ListWatch({
      client,
      type: evaluations,
      namespace: ns.namespace,
      timing: { watchTimeoutSeconds: 2, stallMs: 4_000, backoffInitialMs: 100, backoffMaxMs: 1_000 },
      log: (m) => logs.push(m),
    });
    closers.push(
      ns.cleanup,
      () => client.close(),
      () => lw.stop(),
    );
    const names = Array.from({ length: objects }, (_, i) => `e${i}`);
    for (const n of names) await client.create(evaluations, ns.namespace, evaluation(n));
    // The control plane informer's decisions, fed from the cache after every event, by object.
    const memory = new Map<string, InformerEntry>();
    const emitted = new Map<string, string[]>();
    lw.subscribe(() => {
      const all = [...lw.items().values()].map((o) => fromKube(o, evaluations, true));
      const { emits, changed } = observeWorkflows(memory, all, "2026-01-01T00:00:00Z");
      for (const [k, v] of changed) memory.set(k, v);
      for (const e of emits)
        emitted.set(e.id, [...(emitted.get(e.id) ?? []), e.reason ? `${e.status}/${e.reason}` : e.status]);
    });
    await lw.ready();
    for (const n of names) await addCondition(client, ns.namespace, n, "Admitted", null);
    await waitFor(
      () => names.every((n) => emitted.get(n)?.length === 1),
      "Admitted through the watch",
      60_000,
    );

    await cluster.restartApiServer();
    // Written as soon as the new API server answers, while the loop is still backing off or relisting.
    for (const n of names) {
      await addCondition(client, ns.namespace, n, "Admitted", "Unverified");
      await addCondition(client, ns.namespace, n, "Complete", null);
    }
    const expected = ["Admitted", "Admitted/Unverified", "Complete"];
    await waitFor(
      () => names.every((n) => emitted.get(n)?.length === 3),
      "the statuses after the restart",
      90_000,
    ).catch(() => undefined);
    let lost = 0;
    let duplicated = 0;
    for (const n of names) {
      const got = emitted.get(n) ?? [];
      lost += expected.filter((s) => !got.includes(s)).length;
      duplicated += got.length - new Set(got).size;
    }
    recordReliability({
      id: "k8s-apiserver-restart",
      fault: "API server restart mid-watch, and the watch's `410 Gone` after it",
      backend:
        "real kube-apiserver and etcd (a private control plane started by scripts/k8s/cluster.sh), the adapter's list/watch loop",
      load: `${objects} Evaluations watched, ${objects * 3} status transitions (1 before the restart, 2 written as it came back)`,
      injected: `1 restart (cluster.sh restart-apiserver): ${lw.stats.errors} watch errors, ${lw.stats.expired} 410 Gone, ${lw.stats.lists} lists; ${duplicated} transitions reported twice`,
      lostStatusChanges: lost,
      doubleAdmissions: null,
      quotaBreaches: null,
      command: "pnpm vitest run --project int packages/adapter-k8s/src/watch/list-watch-restart.int.test.ts",
      test: `packages/adapter-k8s/src/watch/list-watch-restart.int.test.ts > ${name}`,
    });
    for (const n of names) expect(emitted.get(n), n).toEqual(expected);
    expect(lw.stats.errors, logs.join("\n")).toBeGreaterThanOrEqual(1);
    expect(lw.stats.expired, logs.join("\n")).toBeGreaterThanOrEqual(1);
    expect(lw.stats.lists).toBeGreaterThanOrEqual(2);
  }, 600_000);
});
