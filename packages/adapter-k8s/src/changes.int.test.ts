import { type ClusterChanges, DecodeError, type NewClusterObject } from "@phasekit/core";
import { Effect } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { createKubeClient } from "./client.js";
import { makeKubeCluster } from "./cluster.js";
import { decodeK8sConfig } from "./config.js";
import { testCluster } from "./testing/env.js";
import { adapterNamespace, ensureCrds } from "./testing/setup.js";
import { waitFor } from "./testing/wait.js";
import { ChangeJournal } from "./watch/change-journal.js";

/**
 * What the shared Cluster suite cannot see of the change feed on Kubernetes: caches start on first
 * use, so a cursor may predate a kind's watch; cursors belong to one adapter instance; and the
 * journal is bounded. As the adapter's ServiceAccount, a fresh namespace per test, steps external.
 */
const { admin, adminClient } = await testCluster();
await ensureCrds(adminClient);
const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function adapter(prefix: string, journal?: ChangeJournal) {
  const ns = await adapterNamespace(adminClient, admin, prefix);
  const endpoint = { server: admin.server, ca: admin.ca, token: ns.token };
  const config = decodeK8sConfig({ ...endpoint, namespace: ns.namespace, steps: "external" });
  if (config instanceof DecodeError) throw config;
  const sa = createKubeClient(endpoint, { requestTimeoutMs: config.requestTimeoutMs });
  const cluster = makeKubeCluster(sa, config, journal);
  closers.push(
    ns.cleanup,
    () => sa.close(),
    () => cluster.stop(),
  );
  return { ns, config, sa, cluster, port: cluster.port };
}

const evaluation = (name: string): NewClusterObject => ({
  kind: "Evaluation",
  name,
  labels: {},
  owner: null,
  spec: { id: name, account: "alice" },
});
const job = (name: string, owner: string): NewClusterObject => ({
  kind: "Job",
  name,
  labels: {},
  owner,
  spec: { image: "evaluation-client" },
});
const names = (c: ClusterChanges) => c.objects.map((o) => `${o.kind}/${o.name}`);

describe("the change feed on Kubernetes", () => {
  it("a kind first asked for after the cursor was given comes as changes: all its objects, made before the cursor or after", async () => {
    const { port } = await adapter("changes-new-kind");
    await Effect.runPromise(port.create(evaluation("e1")));
    await Effect.runPromise(port.create(job("e1-before", "e1")));
    const first = await Effect.runPromise(port.changes(["Evaluation"], null));
    expect([first.full, names(first)]).toEqual([true, ["Evaluation/e1"]]);
    await Effect.runPromise(port.create(job("e1-after", "e1")));

    // This call starts the Job watch; its first list is journaled after `first.cursor`.
    const next = await Effect.runPromise(port.changes(["Evaluation", "Job"], first.cursor));
    expect(next.full).toBe(false);
    expect(names(next)).toEqual(["Job/e1-after", "Job/e1-before"]);
    expect(next.deleted).toEqual([]);
    const listed = await Effect.runPromise(port.list("Job"));
    expect(next.objects.map((o) => o.resourceVersion)).toEqual(listed.map((o) => o.resourceVersion));
  });

  it("a cursor of another adapter instance on the same namespace is unknown: a full listing", async () => {
    const one = await adapter("changes-two-adapters");
    const other = makeKubeCluster(one.sa, one.config);
    closers.push(() => other.stop());
    await Effect.runPromise(one.port.create(evaluation("e1")));
    const mine = await Effect.runPromise(one.port.changes(["Evaluation"], null));
    // The same seq in both journals: only the instance id tells the cursors apart.
    const theirs = await Effect.runPromise(other.port.changes(["Evaluation"], null));
    expect(mine.cursor.split(":")[1]).toBe(theirs.cursor.split(":")[1]);
    const crossed = await Effect.runPromise(other.port.changes(["Evaluation"], mine.cursor));
    expect([crossed.full, names(crossed), crossed.deleted]).toEqual([true, ["Evaluation/e1"], []]);
    const own = await Effect.runPromise(other.port.changes(["Evaluation"], theirs.cursor));
    expect([own.full, names(own)]).toEqual([false, []]);
  });

  it("a cursor older than the journal remembers expires: a full listing, never a partial answer", async () => {
    const { port } = await adapter("changes-expiry", new ChangeJournal({ capacity: 3 }));
    await Effect.runPromise(port.create(evaluation("e1")));
    const start = await Effect.runPromise(port.changes(["Evaluation"], null));
    for (const name of ["e2", "e3", "e4", "e5"]) await Effect.runPromise(port.create(evaluation(name)));
    const all = ["Evaluation/e1", "Evaluation/e2", "Evaluation/e3", "Evaluation/e4", "Evaluation/e5"];
    // While the cache catches up the cursor is still inside the journal: partial answers, then full.
    const answer = await waitFor(async () => {
      const c = await Effect.runPromise(port.changes(["Evaluation"], start.cursor));
      if (!c.full) expect(names(c).length).toBeLessThanOrEqual(3);
      return c.full && c;
    }, "the cursor to expire");
    expect([names(answer), answer.deleted]).toEqual([all, []]);
  });
});
