import { randomUUID } from "node:crypto";
import { testBrokers } from "@phasekit/adapter-kafka";
import { describe, expect, it } from "vitest";
import { cli } from "../testing/cli.js";
import { repoRoot } from "../testing/processes.js";

const brokers = (await testBrokers()).join(",");
const summary = (out: string) => JSON.parse(out.trim().split("\n").at(-1)!).summary;

describe("phasekit simulate --kafka", () => {
  for (const example of ["quota-wait", "fault-heavy"]) {
    it(`${example}: every invariant holds with the logs on Kafka, and the final statuses are the in-memory run's`, async () => {
      const file = `${repoRoot}examples/${example}.yaml`;
      const prefix = `sim-${randomUUID()}`;
      const kafka = await cli("simulate", "--kafka", brokers, "--prefix", prefix, "--format", "jsonl", file);
      expect(kafka.code, kafka.out + kafka.err).toBe(0);
      expect(kafka.err).toContain(`${prefix}.workflows.{events,state,dlq}`);
      const memory = await cli("simulate", "--format", "jsonl", file);
      expect(summary(kafka.out).held).toBe(true);
      expect(summary(kafka.out).final).toEqual(summary(memory.out).final);
    });
  }
});
