import {
  createPlatformaticClient,
  decodeKafkaConfig,
  type KafkaConfig,
  testBrokers,
  topicNames,
  topicSpecs,
} from "@phasekit/adapter-kafka";
import { testPostgresUrl } from "@phasekit/adapter-postgres";
import { viewDocument } from "@phasekit/core";
import { viewTable } from "@phasekit/runtime";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { recordReliability } from "../../../../scripts/reliability/record.js";
import { startPlane } from "../testing/plane.js";
import { eventually, waitForOutput } from "../testing/processes.js";
import { stateHistory, workloadRounds } from "../testing/workload.js";

// SIGKILL of the sink for real: `phasekit serve aggregator` and `phasekit serve sink --view
// <PostgreSQL>` run as separate processes on the test broker; the sink is killed twice while it
// works through a backlog of state versions, and restarted. The view must end equal to the state
// log, entity for entity, version for version: a sink that committed before it wrote would leave
// an entity behind for ever.

const brokers = await testBrokers();
const postgres = await testPostgresUrl();
const bootstrap = brokers.join(",");
const client = createPlatformaticClient({ brokers, clientId: "serve-sink-test", timeoutMs: 10_000 });
const plane = startPlane("sinkkill", { bootstrap, postgres });
const { prefix } = plane;
const table = viewTable(prefix);
const entities = 300;
const rounds = workloadRounds(entities);
const db = new pg.Client({ connectionString: postgres });
await db.connect();

afterAll(async () => {
  await plane.close();
  await client.close();
  await db.end();
});

const serve = (services: string, extra: readonly string[] = []) => plane.serve([services, ...extra]);
const rows = async () => {
  try {
    const r = await db.query(`SELECT id, version, value FROM "${table}"`);
    return new Map(r.rows.map((row: { id: string; version: number; value: string }) => [row.id, row]));
  } catch {
    return new Map<string, { id: string; version: number; value: string }>(); // not created yet
  }
};
/** Entities whose row in the view is not the newest state on the state log. */
async function behind(): Promise<string[]> {
  const history = stateHistory(await client.readAll(topicNames({ prefix }).state));
  const view = await rows();
  return [...history].flatMap(([id, versions]) => {
    const want = viewDocument(versions.at(-1)!);
    const got = view.get(id);
    return got && Number(got.version) === want.version && got.value === want.value ? [] : [id];
  });
}

describe("phasekit serve sink on Kafka and PostgreSQL, killed with SIGKILL", () => {
  const name =
    "the sink SIGKILLed twice while it works through a backlog, and restarted: the view ends equal to the state log, no status change lost";
  it(name, async () => {
    await client.ensureTopics(topicSpecs(decodeKafkaConfig({ brokers, prefix }) as KafkaConfig));
    serve("aggregator");
    let sink = serve("sink", ["--view", postgres]);
    await waitForOutput(sink, "sink started");
    for (const round of rounds.slice(0, 4)) await client.produce(topicNames({ prefix }).events, round);
    let kills = 0;
    for (const more of [rounds.slice(4, 6), rounds.slice(6)]) {
      // Killed as soon as it has written some of the backlog, with more still to write.
      await eventually("the sink wrote part of the view", async () => (await rows()).size > 0, {
        everyMs: 20,
      });
      sink.child.kill("SIGKILL");
      expect(await sink.exited).toBe("SIGKILL");
      kills++;
      for (const round of more) await client.produce(topicNames({ prefix }).events, round);
      sink = serve("sink", ["--view", postgres]);
    }
    let left: string[] = [];
    await eventually(
      "the view caught up with the state log",
      async () => {
        const history = stateHistory(await client.readAll(topicNames({ prefix }).state));
        left = await behind();
        return history.size === entities && left.length === 0;
      },
      { timeoutMs: 240_000 },
    ).catch(() => undefined);
    const history = stateHistory(await client.readAll(topicNames({ prefix }).state));
    const versions = [...history.values()].reduce((n, v) => n + v.length, 0);
    recordReliability({
      id: "kafka-sigkill-sink",
      fault: "SIGKILL of `phasekit serve sink` (view on PostgreSQL) mid-stream",
      backend: "real Kafka broker and PostgreSQL; `serve aggregator` and `serve sink` processes",
      load: `${history.size} entities, ${rounds.flat().length} events (duplicates included), ${versions} status versions`,
      injected: `${kills} kills, each once the sink had written part of a backlog`,
      lostStatusChanges: left.length,
      doubleAdmissions: null,
      quotaBreaches: null,
      command: "pnpm vitest run --project int packages/cli/src/commands/serve-sink.int.test.ts",
      test: `packages/cli/src/commands/serve-sink.int.test.ts > ${name}`,
    });
    expect(history.size).toBe(entities);
    expect(left, sink.output()).toEqual([]);
  }, 400_000);
});
