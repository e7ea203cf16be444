import { randomUUID } from "node:crypto";
import {
  createPlatformaticClient,
  decodeKafkaConfig,
  groupName,
  type KafkaConfig,
  type RecordPosition,
  testBrokers,
  topicNames,
  topicSpecs,
} from "@phasekit/adapter-kafka";
import { consumerGroups, latestByKey, replayEvents, type StateMessage } from "@phasekit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordReliability } from "../../../../scripts/reliability/record.js";
import {
  brokerScript,
  eventually,
  privateBroker,
  type ServeProcess,
  spawnServe,
  waitForOutput,
} from "../testing/processes.js";
import { admissions, stateHistory, workloadRounds } from "../testing/workload.js";

// Faults for real: `phasekit serve aggregator` runs as a child process on the test broker; it is
// killed with SIGKILL mid-stream and restarted, and a broker of the test's own (scripts/kafka/broker.sh
// on other ports) is stopped and restarted (keeping its data) in the middle of a run. The workload holds exact duplicates. Each run's state
// log must equal a fault-free run's, version for version.

const brokers = await testBrokers();
const bootstrap = brokers.join(",");
const client = createPlatformaticClient({ brokers, clientId: "serve-faults-test", timeoutMs: 10_000 });
const rounds = workloadRounds(300);
const group = (prefix: string) => groupName({ prefix }, consumerGroups.aggregator.group);
const children: ServeProcess[] = [];

const topics = (prefix: string) => topicNames({ prefix });
async function prepare(prefix: string) {
  await client.ensureTopics(topicSpecs(decodeKafkaConfig({ brokers, prefix }) as KafkaConfig));
}
async function produce(prefix: string, from: number, to: number, ends: Map<number, number>) {
  for (const round of rounds.slice(from, to)) {
    const positions: RecordPosition[] = await client.produce(topics(prefix).events, round);
    for (const p of positions) ends.set(p.partition, Math.max(ends.get(p.partition) ?? 0, p.offset + 1));
  }
}
const stateCount = async (prefix: string) => (await client.readAll(topics(prefix).state)).length;
async function caughtUp(prefix: string, ends: ReadonlyMap<number, number>) {
  const committed = new Map(
    (await client.committed(group(prefix), topics(prefix).events)).map((c) => [c.partition, c.offset]),
  );
  return [...ends].every(([p, end]) => (committed.get(p) ?? 0) >= end);
}
const history = async (prefix: string) => stateHistory(await client.readAll(topics(prefix).state));
function serveAggregator(prefix: string) {
  const p = spawnServe("aggregator", bootstrap, prefix);
  children.push(p);
  return p;
}
async function stop(p: ServeProcess) {
  p.child.kill("SIGTERM");
  expect(await p.exited, p.output()).toBe(0);
}

let reference: Map<string, StateMessage[]>;

beforeAll(async () => {
  // The fault-free run: one aggregator process, the whole workload, no interruption.
  const prefix = `faults-ref-${randomUUID()}`;
  await prepare(prefix);
  const ends = new Map<number, number>();
  const aggregator = serveAggregator(prefix);
  await waitForOutput(aggregator, "aggregator started");
  await produce(prefix, 0, rounds.length, ends);
  await eventually("the fault-free aggregator caught up", () => caughtUp(prefix, ends));
  await stop(aggregator);
  reference = await history(prefix);
  // The reference itself is the replay of its event log.
  const replayed = replayEvents(await client.readAll(topics(prefix).events));
  expect(new Map([...reference].map(([id, v]) => [id, v.at(-1)]))).toEqual(replayed);
  expect(reference.size).toBe(300);
});

afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null) c.child.kill("SIGKILL");
  await client.close();
});

/**
 * Writes the run's reliability figure (RELIABILITY.md): the status changes (versions) of the
 * fault-free run missing from the faulty one, and the entities admitted more than once. The
 * aggregator holds no quota, so quota breaches are not this test's to count.
 */
function record(
  id: string,
  fault: string,
  injected: string,
  test: string,
  faulty: Map<string, StateMessage[]>,
) {
  const key = (v: StateMessage) => JSON.stringify(v);
  let lost = 0;
  let versions = 0;
  for (const [entity, wanted] of reference) {
    const got = new Set((faulty.get(entity) ?? []).map(key));
    versions += wanted.length;
    lost += wanted.filter((v) => !got.has(key(v))).length;
  }
  recordReliability({
    id,
    fault,
    backend: "real Kafka broker, `phasekit serve aggregator` processes",
    load: `${reference.size} entities, ${rounds.flat().length} events (duplicates included), ${versions} status versions`,
    injected,
    lostStatusChanges: lost,
    doubleAdmissions: [...admissions(faulty).values()].filter((n) => n > 1).length,
    quotaBreaches: null,
    command: `pnpm vitest run --project int packages/cli/src/commands/serve.int.test.ts -t "${test.slice(0, 40)}"`,
    test: `packages/cli/src/commands/serve.int.test.ts > ${test}`,
  });
}

/** The faulty run lost no status change, admitted nothing twice, and ended where the fault-free run did. */
function expectSameAsReference(faulty: Map<string, StateMessage[]>) {
  expect([...admissions(faulty).values()].every((n) => n <= 1)).toBe(true);
  expect([...admissions(faulty).values()]).toEqual([...admissions(reference).values()]);
  expect(faulty).toEqual(reference); // every version of every entity, so no status change was lost
}

describe("phasekit serve on Kafka, with real faults", () => {
  it("the aggregator killed with SIGKILL mid-stream, twice, and restarted: same state as the fault-free run", async () => {
    const prefix = `faults-kill-${randomUUID()}`;
    await prepare(prefix);
    const ends = new Map<number, number>();

    // A backlog first, so that the aggregator is busy with it when it is killed: as soon as its
    // first state records show, it still has more than a thousand events to go.
    await produce(prefix, 0, 5, ends);
    const busy = { everyMs: 10 };
    const first = serveAggregator(prefix);
    await eventually(
      "the first aggregator wrote some state",
      async () => (await stateCount(prefix)) > 0,
      busy,
    );
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    const afterFirst = await stateCount(prefix);
    expect(await caughtUp(prefix, ends), "killed before it had committed everything").toBe(false);

    // More events arrive while the second one works through the rest; it is killed mid-stream too.
    const second = serveAggregator(prefix);
    await produce(prefix, 5, rounds.length, ends);
    await eventually(
      "the second aggregator wrote more state",
      async () => (await stateCount(prefix)) > afterFirst,
      busy,
    );
    second.child.kill("SIGKILL");
    expect(await second.exited).toBe("SIGKILL");

    const third = serveAggregator(prefix);
    await eventually("the third aggregator caught up", () => caughtUp(prefix, ends));
    await stop(third);
    const faulty = await history(prefix);
    record(
      "kafka-sigkill-aggregator",
      "SIGKILL of `phasekit serve aggregator` mid-stream",
      "2 kills, each while the aggregator was working through a backlog",
      "the aggregator killed with SIGKILL mid-stream, twice, and restarted: same state as the fault-free run",
      faulty,
    );
    expectSameAsReference(faulty);
  });

  it("the broker stopped and restarted (same data) during a run: the aggregator recovers, same state as the fault-free run", async () => {
    // A broker of this test's own: restarting the one every other test (and engineer) shares would
    // break their runs. Same script, other ports and run dir.
    const broker = await privateBroker();
    const own = createPlatformaticClient({
      brokers: [broker.bootstrap],
      clientId: "serve-faults-restart",
      timeoutMs: 10_000,
    });
    try {
      const prefix = `faults-broker-${randomUUID()}`;
      await own.ensureTopics(
        topicSpecs(decodeKafkaConfig({ brokers: [broker.bootstrap], prefix }) as KafkaConfig),
      );
      const ends = new Map<number, number>();
      const produceOwn = async (from: number, to: number) => {
        for (const round of rounds.slice(from, to))
          for (const p of await own.produce(topics(prefix).events, round))
            ends.set(p.partition, Math.max(ends.get(p.partition) ?? 0, p.offset + 1));
      };
      const ownCaughtUp = async () => {
        const committed = new Map(
          (await own.committed(group(prefix), topics(prefix).events)).map((c) => [c.partition, c.offset]),
        );
        return [...ends].every(([p, end]) => (committed.get(p) ?? 0) >= end);
      };
      const aggregator = spawnServe("aggregator", broker.bootstrap, prefix);
      children.push(aggregator);
      await waitForOutput(aggregator, "aggregator started");
      await produceOwn(0, 4);
      await eventually(
        "the aggregator wrote some state",
        async () => (await own.readAll(topics(prefix).state)).length > 100,
      );

      const restart = await brokerScript("restart", broker.env);
      expect(restart.code, restart.stderr).toBe(0);
      await produceOwn(4, rounds.length);
      await eventually("the aggregator caught up after the broker restart", ownCaughtUp);
      expect(aggregator.child.exitCode, aggregator.output()).toBeNull();
      await stop(aggregator);
      const faulty = stateHistory(await own.readAll(topics(prefix).state));
      record(
        "kafka-broker-restart",
        "broker restart (same data) during a run",
        "1 restart (scripts/kafka/broker.sh restart, on a private broker) after the aggregator wrote 100 states",
        "the broker stopped and restarted (same data) during a run: the aggregator recovers, same state as the fault-free run",
        faulty,
      );
      expectSameAsReference(faulty);
      // Compaction cannot hide a difference: the latest of each key is the reference's last version.
      const latest = latestByKey(await own.readAll(topics(prefix).state));
      expect([...latest.keys()].sort()).toEqual([...reference.keys()].sort());
    } finally {
      await own.close();
      await broker.stop();
    }
  }, 600_000);
});
