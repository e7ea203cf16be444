import { testEtcdEndpoints } from "@phasekit/adapter-etcd";
import { createPlatformaticClient, testBrokers, topicNames } from "@phasekit/adapter-kafka";
import { testPostgresUrl } from "@phasekit/adapter-postgres";
import { type AdmissionRecord, replayEvents, type StateMessage } from "@phasekit/core";
import { afterAll, describe, expect, it } from "vitest";
import { quotaBreaches } from "../../../../scripts/reliability/measures.js";
import { recordReliability } from "../../../../scripts/reliability/record.js";
import {
  listModels,
  lostStatusChanges,
  modelBurst,
  planeQuotas,
  planeTokens,
  startPlane,
} from "../testing/plane.js";
import { eventually, sleep, waitForOutput } from "../testing/processes.js";
import { admissions, stateHistory } from "../testing/workload.js";

// The multi-process control plane on the real stores, with the orchestrator killed for real: the
// API (`serve api --kafka --view`), the aggregator and sink (`--view` on PostgreSQL) and the
// orchestrator (`--kv` on etcd, slot quotas) run as separate processes on the test broker. A burst
// of Model creations goes through the API; the test, as a client, terminates each Model once the
// view shows it Admitted, which frees its slot for the next one. The orchestrator is SIGKILLed and
// restarted twice while work is admitted and waiting. (Nothing runs the work itself: serve's cluster
// is in memory, so the client's terminations are what end it.)

const brokers = await testBrokers();
const postgres = await testPostgresUrl();
const kafka = createPlatformaticClient({ brokers, clientId: "serve-stores-test", timeoutMs: 10_000 });
const plane = startPlane("stores", {
  bootstrap: brokers.join(","),
  etcd: await testEtcdEndpoints(),
  postgres,
});
const perAccount = 12;

const orchestrator = () => plane.serve(["orchestrator", "--kv", plane.kv, "--quotas", plane.quotasFile]);

afterAll(async () => {
  await plane.close();
  await kafka.close();
});

describe("phasekit serve on Kafka, etcd and PostgreSQL, with the orchestrator killed", () => {
  it("a burst through serve api while the orchestrator is SIGKILLed and restarted twice: 0 double admissions, 0 lost status changes, no quota exceeded, every entity terminal", async () => {
    plane.serve(["aggregator,sink", "--view", postgres]);
    const { call } = await plane.api(["--view", postgres]);
    let first = orchestrator();

    // The burst: every creation at once, through the API.
    const accountOf = await modelBurst(call, perAccount);
    const ids = new Set(accountOf.keys());

    // The client: terminate what the view shows Admitted; kill the orchestrator twice on the way.
    const terminated = new Set<string>();
    /** The most Models of each account the view ever showed Admitted (and not terminated by us) at once. */
    const seenAdmitted = new Map<string, number>();
    let kills = 0;
    const deadline = Date.now() + 480_000;
    for (;;) {
      const mine = (await listModels(call)).filter((m) => ids.has(m.id));
      if (mine.length === ids.size && mine.every((m) => m.status === "Terminated")) break;
      if (Date.now() > deadline)
        throw new Error(
          `not every Model ended: ${JSON.stringify(mine.filter((m) => m.status !== "Terminated"))}\n${first.output()}`,
        );
      // Admitted and not yet terminated by us. (The view has no order across entities: it may show a
      // new admission before the termination that freed its slot, so those we terminated do not count.)
      const admitted = mine.filter((m) => m.status === "Admitted" && !terminated.has(m.id));
      for (const account of Object.values(planeTokens)) {
        const held = admitted.filter((m) => accountOf.get(m.id) === account).length;
        seenAdmitted.set(account, Math.max(seenAdmitted.get(account) ?? 0, held));
        expect(held, `${account} holds more admitted work than its slots`).toBeLessThanOrEqual(
          planeQuotas[account].slots,
        );
      }
      if (kills < 2 && terminated.size >= 4 + kills * 8) {
        // Killed while it holds every slot and more work waits: terminate nothing until every
        // account's slots show full, then kill it, and give the new one time to admit what it
        // should not (an orchestrator that forgot its admissions would see free slots).
        const full = Object.entries(planeQuotas).every(
          ([account, q]) => admitted.filter((m) => accountOf.get(m.id) === account).length >= q.slots,
        );
        if (full) {
          first.child.kill("SIGKILL");
          expect(await first.exited).toBe("SIGKILL");
          kills++;
          first = orchestrator();
          await waitForOutput(first, "orchestrator started");
          await sleep(3_000);
        } else {
          await sleep(100);
          continue;
        }
      }
      for (const m of admitted.slice(0, 2)) {
        const token = tokenOf(accountOf.get(m.id)!);
        const r = await call(token, "POST", `/models/${m.id}/terminate`);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        terminated.add(m.id);
      }
      await sleep(100);
    }
    expect(kills).toBe(2);
    // What a client saw: never more admitted work than the slots.
    for (const [account, quota] of Object.entries(planeQuotas))
      expect(seenAdmitted.get(account), account).toBeLessThanOrEqual(quota.slots);

    // The orchestrator releases every admission once it sees its entity terminal.
    let stored: AdmissionRecord[] = [];
    await eventually("every admission released", async () => {
      stored = await plane.admissionRecords();
      return stored.length === ids.size && stored.every((r) => r.releasedAt !== null);
    });
    await plane.stop();

    const topics = topicNames({ prefix: plane.prefix });
    const history = stateHistory(await kafka.readAll(topics.state));
    recordKill(history, replayEvents(await kafka.readAll(topics.events)), stored, kills);
    // Every entity terminal, having been Admitted once, and never twice.
    expect([...history.keys()].sort()).toEqual([...ids].sort());
    for (const [id, versions] of history) {
      const statuses = versions.map((v) => v.entity.status).filter((s, i, all) => s !== all[i - 1]);
      expect(statuses, id).toEqual(["Created", "Admitted", "Terminated"]);
    }
    expect([...admissions(history).values()].every((n) => n === 1)).toBe(true);
    // No status change lost: the state log's last word on each entity is the replay of its events.
    const replayed = replayEvents(await kafka.readAll(topics.events));
    expect(new Map([...history].map(([id, v]) => [id, v.at(-1)]))).toEqual(replayed);
    // No quota exceeded: at no time did an account hold more admissions than its slots.
    for (const [account, quota] of Object.entries(planeQuotas)) {
      const moves = stored
        .filter((r) => r.account === account)
        .flatMap((r) => [
          { at: r.admittedAt, delta: 1 },
          { at: r.releasedAt!, delta: -1 },
        ])
        .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.delta - b.delta));
      let held = 0;
      let most = 0;
      for (const m of moves) most = Math.max(most, (held += m.delta));
      expect(most, account).toBeLessThanOrEqual(quota.slots);
      expect(most, `${account} used its quota`).toBe(quota.slots);
    }
  }, 600_000);
});

/**
 * Writes the run's reliability figure (RELIABILITY.md): status changes lost (an entity without one
 * of Created, Admitted, Terminated, or whose last state is not the replay of its events), entities
 * admitted twice, and admissions that took an account over its slots (from the admission records).
 */
function recordKill(
  history: ReadonlyMap<string, readonly StateMessage[]>,
  replayed: ReadonlyMap<string, StateMessage>,
  stored: readonly AdmissionRecord[],
  kills: number,
) {
  const lost = lostStatusChanges(history, replayed, ["Created", "Admitted", "Terminated"]);
  const breaches = quotaBreaches(stored, planeQuotas);
  const test =
    "a burst through serve api while the orchestrator is SIGKILLed and restarted twice: 0 double admissions, 0 lost status changes, no quota exceeded, every entity terminal";
  recordReliability({
    id: "kafka-sigkill-orchestrator",
    fault: "SIGKILL of `phasekit serve orchestrator` (admission records on etcd) while it holds every slot",
    backend:
      "real Kafka broker, etcd, PostgreSQL; `serve api`, `serve aggregator,sink` and `serve orchestrator` processes",
    load: `${history.size} Models created in one burst through the API by 2 accounts (2 and 3 slots), a client terminating each admitted one`,
    injected: `${kills} kills, each while every slot was held and work waited`,
    lostStatusChanges: lost,
    doubleAdmissions: [...admissions(history).values()].filter((n) => n > 1).length,
    quotaBreaches: breaches,
    command: "pnpm vitest run --project int packages/cli/src/commands/serve-stores.int.test.ts",
    test: `packages/cli/src/commands/serve-stores.int.test.ts > ${test}`,
  });
}

const tokenOf = (account: string) => Object.entries(planeTokens).find(([, a]) => a === account)![0];
