import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createPlatformaticClient, groupName, testBrokers, topicNames } from "@phasekit/adapter-kafka";
import { parseScenario } from "@phasekit/adapter-memory";
import { consumerGroups, DecodeError } from "@phasekit/core";
import { afterAll, describe, expect, it } from "vitest";
import { runScenarioOnKafka } from "./run-scenario.js";

// Two control planes on one broker, at once, each under its own prefix (`--prefix`): each joins
// consumer groups of its own (`<prefix>.phasekit.workflows-aggregator`...), so neither waits on the
// other's assignments, and neither commits under the other's groups or under the bare names.

const brokers = await testBrokers();
const client = createPlatformaticClient({ brokers, clientId: "prefixes-test", timeoutMs: 10_000 });
afterAll(() => client.close());

const file = "examples/quota-wait.yaml";
const scenario = parseScenario(readFileSync(new URL(`../../../../${file}`, import.meta.url), "utf8"), file);

describe("two control planes on one Kafka broker", () => {
  it("planes with different prefixes join different consumer groups, and both run at once to the end", async () => {
    if (scenario instanceof DecodeError) throw scenario;
    const prefixes = [`planes-a-${randomUUID()}`, `planes-b-${randomUUID()}`];
    const results = await Promise.all(
      prefixes.map((prefix) => runScenarioOnKafka(scenario, { brokers, prefix })),
    );
    for (const r of results) {
      expect(r.invariants.filter((i) => !i.held)).toEqual([]);
      expect(r.final.filter((f) => f.kind === "Evaluation").map((f) => f.status)).toEqual([
        "Complete",
        "Complete",
      ]);
    }

    for (const { log, group } of Object.values(consumerGroups)) {
      const [a, b] = prefixes.map((prefix) => groupName({ prefix }, group)) as [string, string];
      expect(a).not.toBe(b);
      for (const [own, other, prefix] of [
        [a, b, prefixes[0]!],
        [b, a, prefixes[1]!],
      ] as const) {
        const topic = topicNames({ prefix })[log];
        expect((await client.committed(own, topic)).length, `${own} on ${topic}`).toBeGreaterThan(0);
        expect(await client.committed(other, topic), `${other} on ${topic}`).toEqual([]);
        expect(await client.committed(group, topic), `${group} on ${topic}`).toEqual([]);
      }
    }
  }, 300_000);
});
