import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { layerEtcd, testEtcdEndpoints } from "@phasekit/adapter-etcd";
import { createPlatformaticClient, topicNames } from "@phasekit/adapter-kafka";
import { testPostgresUrl } from "@phasekit/adapter-postgres";
import {
  type AdmissionRecord,
  admissionPrefix,
  decodeAdmission,
  KeyValue,
  replayEvents,
  type StateMessage,
} from "@phasekit/core";
import { Effect } from "effect";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordReliability } from "../../../../scripts/reliability/record.js";
import { type KubeNamespace, kubeNamespace, kubeTestCluster } from "../testing/kube.js";
import {
  eventually,
  privateBroker,
  type ServeProcess,
  sleep,
  spawnPhasekit,
  waitForOutput,
} from "../testing/processes.js";
import { admissions, stateHistory } from "../testing/workload.js";

// The operator and the informer killed for real, each in a process of its own. With `--kube` the
// cluster (workflow objects, the steps' Jobs, their pods run by kwok) is on the project's
// kube-apiserver, so it outlives any serve process: the API (`serve api --kafka --view`), the
// aggregator, sink and orchestrator (`--view` on PostgreSQL, `--kv` on etcd, slot quotas), the
// operator and the informer (its memory on etcd too, `--kv`) run as five processes. A burst of Model
// creations goes through the API; each Model's fetch runs as a Job and ends it Ready, which frees its
// slot for the next. The operator (first test) or the informer (second) is SIGKILLed twice while
// every slot of an account is held and work waits, stays dead 3 s (admitted work gets no steps, or
// finished steps go unreported), and is restarted. Each run has its own topics, etcd keys, view
// table and namespace. The broker is one of the file's own (scripts/kafka/broker.sh on free ports):
// `--prefix` does not name the consumer groups, so on the shared broker these processes would join
// the groups of every other control plane running there, and wait on their assignments.

const etcd = await testEtcdEndpoints();
const postgres = await testPostgresUrl();
await kubeTestCluster();
let broker: Awaited<ReturnType<typeof privateBroker>> | undefined;
let bootstrap = "";
let kafka: ReturnType<typeof createPlatformaticClient> | undefined;
const kv = `etcd://${etcd.map((e) => e.replace(/^https?:\/\//, "")).join(",")}`;
const dir = mkdtempSync(join(tmpdir(), "phasekit-kill-cluster-"));
const tokens = { "alice-token": "alice", "bob-token": "bob" };
const quotas = { alice: { slots: 2 }, bob: { slots: 3 } };
writeFileSync(join(dir, "tokens.json"), JSON.stringify(tokens));
writeFileSync(join(dir, "quotas.json"), JSON.stringify(quotas));
const perAccount = 16;
const children: ServeProcess[] = [];
const namespaces: KubeNamespace[] = [];
const prefixes: string[] = [];

beforeAll(async () => {
  broker = await privateBroker();
  bootstrap = broker.bootstrap;
  kafka = createPlatformaticClient({
    brokers: [bootstrap],
    clientId: "serve-kill-cluster-test",
    timeoutMs: 10_000,
  });
}, 300_000);

afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null) c.child.kill("SIGKILL");
  await Promise.all(children.map((c) => c.exited));
  for (const ns of namespaces) await ns.cleanup();
  await kafka?.close();
  await broker?.stop();
  const client = new pg.Client({ connectionString: postgres });
  await client.connect();
  for (const prefix of prefixes)
    await client.query(`DROP TABLE IF EXISTS "${prefix.replaceAll("-", "_")}_view"`);
  await client.end();
});

interface Listed {
  readonly id: string;
  readonly status: string;
}

type Victim = "operator" | "informer";

const testName = (victim: Victim) =>
  `a burst through serve api while the ${victim} (its own process, cluster on Kubernetes) is SIGKILLed and restarted twice: 0 lost status changes, 0 double admissions, no quota exceeded, every Model Ready`;

/** Runs the layout, kills `victim` twice under the burst, and returns what the logs and etcd hold. */
async function killRun(victim: Victim) {
  const prefix = `kill-${victim.slice(0, 4)}-${randomBytes(4).toString("hex")}`;
  prefixes.push(prefix);
  const ns = await kubeNamespace(`kill-${victim.slice(0, 4)}`);
  namespaces.push(ns);
  const start = (line: readonly string[]) => {
    const p = spawnPhasekit(["serve", ...line, "--kafka", bootstrap, "--prefix", prefix]);
    children.push(p);
    return p;
  };
  const kube = ["--kube", ns.kubeconfig];
  const lines: Record<Victim, readonly string[]> = {
    operator: ["operator", ...kube],
    informer: ["informer", "--kv", kv, ...kube],
  };
  const plane = start([
    "aggregator,sink,orchestrator",
    ...["--view", postgres, "--kv", kv, "--quotas", join(dir, "quotas.json"), ...kube],
  ]);
  let killed = start(lines[victim]);
  const other = start(lines[victim === "operator" ? "informer" : "operator"]);
  const api = start(["api", "--view", postgres, "--tokens", join(dir, "tokens.json")]);
  for (const p of [plane, killed, other]) await waitForOutput(p, "started");
  await waitForOutput(api, "/v0\n");
  const url = /(http:\/\/\S+\/v0)\n/.exec(api.output())![1]!;
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const lastLines = () =>
    [plane, killed, other, api].map((p) => p.output().split("\n").slice(-15).join("\n")).join("\n---\n");

  // The burst: every creation at once, through the API.
  const created = await Promise.all(
    Object.entries(tokens).flatMap(([token, account]) =>
      Array.from({ length: perAccount }, (_, i) =>
        call(token, "POST", "/models", {
          account,
          name: `m${i}`,
          artifact: { kind: "x" },
          source: { kind: "y" },
          resources: {},
        }),
      ),
    ),
  );
  expect(created.map((c) => c.status)).toEqual(created.map(() => 201));
  const accountOf = new Map(created.map((c) => [c.body.id as string, c.body.account as string]));

  let kills = 0;
  const deadline = Date.now() + 420_000;
  for (;;) {
    const listed: Listed[] = [];
    for (const token of Object.keys(tokens)) listed.push(...(await call(token, "GET", "/models")).body);
    const mine = listed.filter((m) => accountOf.has(m.id));
    if (mine.length === accountOf.size && mine.every((m) => m.status === "Ready")) break;
    if (Date.now() > deadline)
      throw new Error(
        `not every Model is Ready after ${kills} kills of the ${victim}: ${JSON.stringify(mine.filter((m) => m.status !== "Ready"))}\n${lastLines()}`,
      );
    const ready = mine.filter((m) => m.status === "Ready").length;
    // Killed while an account holds every slot and more of its work waits.
    const full = Object.entries(quotas).some(([account, q]) => {
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
      killed = start(lines[victim]);
      await waitForOutput(killed, "started");
    }
    await sleep(200);
  }
  expect(kills).toBe(2);

  // The orchestrator releases every admission once it sees its entity terminal.
  let stored: AdmissionRecord[] = [];
  await eventually("every admission released", async () => {
    const records = await Effect.runPromise(
      Effect.flatMap(KeyValue, (store) => store.list(admissionPrefix)).pipe(
        Effect.provide(layerEtcd({ endpoints: etcd, prefix: `${prefix}/` })),
      ),
    );
    stored = [...records].map(([key, v]) => decodeAdmission(key, v.value) as AdmissionRecord);
    return stored.length === accountOf.size && stored.every((r) => r.releasedAt !== null);
  });
  // Stopped (leaving their consumer groups) before the next run's processes join the same groups.
  for (const p of [plane, killed, other, api]) p.child.kill("SIGTERM");
  await Promise.all([plane, killed, other, api].map((p) => p.exited));
  for (const p of [plane, killed, other, api]) expect(p.output()).not.toMatch(/cannot start/);
  const topics = topicNames({ prefix });
  const history = stateHistory(await kafka!.readAll(topics.state));
  const replayed = replayEvents(await kafka!.readAll(topics.events));
  return { ids: [...accountOf.keys()], history, replayed, stored, kills };
}

/** At each admission, how many an account then held beyond its slots (from the admission records). */
function quotaBreaches(stored: readonly AdmissionRecord[]): number {
  let breaches = 0;
  for (const [account, quota] of Object.entries(quotas)) {
    const moves = stored
      .filter((r) => r.account === account)
      .flatMap((r) => [
        { at: r.admittedAt, delta: 1 },
        ...(r.releasedAt === null ? [] : [{ at: r.releasedAt, delta: -1 }]),
      ])
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.delta - b.delta));
    let held = 0;
    for (const m of moves) if ((held += m.delta) > quota.slots && m.delta > 0) breaches++;
  }
  return breaches;
}

/**
 * Status changes lost: an entity without one of Created, Admitted, Ready, or whose last state is not
 * the replay of its events.
 */
function lostStatusChanges(
  history: ReadonlyMap<string, readonly StateMessage[]>,
  replayed: ReadonlyMap<string, StateMessage>,
): number {
  let lost = 0;
  for (const [id, versions] of history) {
    const statuses = versions.map((v) => v.entity.status);
    lost += ["Created", "Admitted", "Ready"].filter((s) => !statuses.includes(s)).length;
    if (JSON.stringify(versions.at(-1)) !== JSON.stringify(replayed.get(id))) lost++;
  }
  return lost;
}

describe("phasekit serve with the cluster on Kubernetes, the operator or the informer killed", () => {
  for (const victim of ["operator", "informer"] as const)
    it(testName(victim), async () => {
      const { ids, history, replayed, stored, kills } = await killRun(victim);
      const lost = lostStatusChanges(history, replayed);
      const doubles = [...admissions(history).values()].filter((n) => n > 1).length;
      const breaches = quotaBreaches(stored);
      const file = "packages/cli/src/commands/serve-kill-cluster.int.test.ts";
      recordReliability({
        id: `kafka-sigkill-${victim}`,
        fault: `SIGKILL of \`phasekit serve ${victim}\` (a process of its own, the cluster on Kubernetes) while an account holds every slot`,
        backend: `a Kafka broker of its own (scripts/kafka/broker.sh), the shared etcd, PostgreSQL and kube-apiserver with kwok; \`serve api\`, \`serve aggregator,sink,orchestrator\`, \`serve operator\` and \`serve informer\` processes`,
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
