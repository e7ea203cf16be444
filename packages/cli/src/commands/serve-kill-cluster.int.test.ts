import { testEtcdEndpoints } from "@phasekit/adapter-etcd";
import { createPlatformaticClient, testBrokers, topicNames } from "@phasekit/adapter-kafka";
import { testPostgresUrl } from "@phasekit/adapter-postgres";
import { type AdmissionRecord, replayEvents } from "@phasekit/core";
import { afterAll, describe, expect, it } from "vitest";
import { quotaBreaches } from "../../../../scripts/reliability/measures.js";
import { recordReliability } from "../../../../scripts/reliability/record.js";
import { type KubeNamespace, kubeNamespace, kubeTestCluster } from "../testing/kube.js";
import {
  listModels,
  lostStatusChanges,
  modelBurst,
  type Plane,
  planeQuotas,
  startPlane,
} from "../testing/plane.js";
import { eventually, sleep, waitForOutput } from "../testing/processes.js";
import { admissions, stateHistory } from "../testing/workload.js";

// The operator and the informer killed for real, each in a process of its own. With `--kube` the
// cluster (workflow objects, the steps' Jobs, their pods run by kwok) is on the project's
// kube-apiserver, so it outlives any serve process: the API (`serve api --kafka --view`), the
// aggregator, sink and orchestrator (`--view` on PostgreSQL, `--kv` on etcd, slot quotas), the
// operator and the informer (its memory on etcd too, `--kv`) run as five processes. A burst of Model
// creations goes through the API; each Model's fetch runs as a Job and ends it Ready, which frees its
// slot for the next. The operator (first test) or the informer (second) is SIGKILLed twice while
// every slot of an account is held and work waits, stays dead 3 s (admitted work gets no steps, or
// finished steps go unreported), and is restarted. Each run has its own prefix (topics, consumer
// groups, etcd keys, view table) on the shared broker, etcd and PostgreSQL, and its own namespace.

const brokers = await testBrokers();
const at = {
  bootstrap: brokers.join(","),
  etcd: await testEtcdEndpoints(),
  postgres: await testPostgresUrl(),
};
await kubeTestCluster();
const kafka = createPlatformaticClient({ brokers, clientId: "serve-kill-cluster-test", timeoutMs: 10_000 });
const perAccount = 16;
const planes: Plane[] = [];
const namespaces: KubeNamespace[] = [];

afterAll(async () => {
  for (const plane of planes) await plane.close();
  for (const ns of namespaces) await ns.cleanup();
  await kafka.close();
});

type Victim = "operator" | "informer";

const testName = (victim: Victim) =>
  `a burst through serve api while the ${victim} (its own process, cluster on Kubernetes) is SIGKILLed and restarted twice: 0 lost status changes, 0 double admissions, no quota exceeded, every Model Ready`;

/** Runs the layout, kills `victim` twice under the burst, and returns what the logs and etcd hold. */
async function killRun(victim: Victim) {
  const plane = startPlane(`kill-${victim.slice(0, 4)}`, at);
  planes.push(plane);
  const ns = await kubeNamespace(`kill-${victim.slice(0, 4)}`);
  namespaces.push(ns);
  const kube = ["--kube", ns.kubeconfig];
  const lines: Record<Victim, readonly string[]> = {
    operator: ["operator", ...kube],
    informer: ["informer", "--kv", plane.kv, ...kube],
  };
  const services = plane.serve([
    "aggregator,sink,orchestrator",
    ...["--view", at.postgres, "--kv", plane.kv, "--quotas", plane.quotasFile, ...kube],
  ]);
  let killed = plane.serve(lines[victim]);
  const other = plane.serve(lines[victim === "operator" ? "informer" : "operator"]);
  const { process: api, call } = await plane.api(["--view", at.postgres]);
  for (const p of [services, killed, other]) await waitForOutput(p, "started");
  const lastLines = () =>
    [services, killed, other, api].map((p) => p.output().split("\n").slice(-15).join("\n")).join("\n---\n");

  // The burst: every creation at once, through the API.
  const accountOf = await modelBurst(call, perAccount);

  let kills = 0;
  const deadline = Date.now() + 420_000;
  for (;;) {
    const mine = (await listModels(call)).filter((m) => accountOf.has(m.id));
    if (mine.length === accountOf.size && mine.every((m) => m.status === "Ready")) break;
    if (Date.now() > deadline)
      throw new Error(
        `not every Model is Ready after ${kills} kills of the ${victim}: ${JSON.stringify(mine.filter((m) => m.status !== "Ready"))}\n${lastLines()}`,
      );
    const ready = mine.filter((m) => m.status === "Ready").length;
    // Killed while an account holds every slot and more of its work waits.
    const full = Object.entries(planeQuotas).some(([account, q]) => {
      const its = mine.filter((m) => accountOf.get(m.id) === account);
      return (
        its.filter((m) => m.status === "Admitted").length >= q.slots &&
        its.some((m) => m.status === "Created")
      );
    });
    if (kills < 2 && ready >= 2 + kills * 5 && full) {
      killed.child.kill("SIGKILL");
      expect(await killed.exited).toBe("SIGKILL");
      kills++;
      await sleep(3_000);
      killed = plane.serve(lines[victim]);
      await waitForOutput(killed, "started");
    }
    await sleep(200);
  }
  expect(kills).toBe(2);

  // The orchestrator releases every admission once it sees its entity terminal.
  let stored: AdmissionRecord[] = [];
  await eventually("every admission released", async () => {
    stored = await plane.admissionRecords();
    return stored.length === accountOf.size && stored.every((r) => r.releasedAt !== null);
  });
  // Stopped, leaving their consumer groups, before the logs are read.
  for (const p of [services, killed, other, api]) p.child.kill("SIGTERM");
  await Promise.all([services, killed, other, api].map((p) => p.exited));
  for (const p of [services, killed, other, api]) expect(p.output()).not.toMatch(/cannot start/);
  const topics = topicNames({ prefix: plane.prefix });
  const history = stateHistory(await kafka.readAll(topics.state));
  const replayed = replayEvents(await kafka.readAll(topics.events));
  return { ids: [...accountOf.keys()], history, replayed, stored, kills };
}

describe("phasekit serve with the cluster on Kubernetes, the operator or the informer killed", () => {
  for (const victim of ["operator", "informer"] as const)
    it(testName(victim), async () => {
      const { ids, history, replayed, stored, kills } = await killRun(victim);
      const lost = lostStatusChanges(history, replayed, ["Created", "Admitted", "Ready"]);
      const doubles = [...admissions(history).values()].filter((n) => n > 1).length;
      const breaches = quotaBreaches(stored, planeQuotas);
      const file = "packages/cli/src/commands/serve-kill-cluster.int.test.ts";
      recordReliability({
        id: `kafka-sigkill-${victim}`,
        fault: `SIGKILL of \`phasekit serve ${victim}\` (a process of its own, the cluster on Kubernetes) while an account holds every slot`,
        backend: `the shared Kafka broker, etcd, PostgreSQL and kube-apiserver with kwok; \`serve api\`, \`serve aggregator,sink,orchestrator\`, \`serve operator\` and \`serve informer\` processes`,
        load: `${history.size} Models created in one burst through the API by 2 accounts (2 and 3 slots), each fetched by a Job`,
        injected: `${kills} kills, each while an account's slots were all held and its work waited; 3 s dead before the restart`,
        lostStatusChanges: lost,
        doubleAdmissions: doubles,
        quotaBreaches: breaches,
        command: `pnpm vitest run --project int ${file} -t ${victim}`,
        test: `${file} > ${testName(victim)}`,
      });
      // Every Model Ready, having been Admitted once; its last state the replay of its events.
      expect([...history.keys()].sort()).toEqual([...ids].sort());
      for (const [id, versions] of history) {
        const statuses = versions.map((v) => v.entity.status).filter((s, i, all) => s !== all[i - 1]);
        expect(statuses, id).toEqual(["Created", "Admitted", "Ready"]);
      }
      expect(lost).toBe(0);
      expect(doubles).toBe(0);
      expect(breaches).toBe(0);
    }, 600_000);
});
