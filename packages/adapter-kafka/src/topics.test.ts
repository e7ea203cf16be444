import { describe, expect, it } from "vitest";
import { decodeKafkaConfig, type KafkaConfig } from "./config.js";
import { topicProblems, topicSpecs } from "./topics.js";

const config = decodeKafkaConfig({
  brokers: "h:9092",
  prefix: "p",
  partitions: 6,
  topicConfigs: { state: { "segment.ms": "100" } },
}) as KafkaConfig;

describe("the adapter's topics", () => {
  it("events kept forever, state compacted, dead letters kept; the user's configs added on top", () => {
    expect(topicSpecs(config)).toEqual([
      {
        name: "p.workflows.events",
        partitions: 6,
        replicationFactor: -1,
        configs: { "cleanup.policy": "delete", "retention.ms": "-1" },
      },
      {
        name: "p.workflows.state",
        partitions: 6,
        replicationFactor: -1,
        configs: { "cleanup.policy": "compact", "segment.ms": "100" },
      },
      {
        name: "p.workflows.dlq",
        partitions: 6,
        replicationFactor: -1,
        configs: { "cleanup.policy": "delete", "retention.ms": "-1" },
      },
    ]);
  });

  it("an existing state topic that does not compact, or an event topic that does, is a problem", () => {
    const ok = new Map([
      ["p.workflows.events", { "cleanup.policy": "delete" }],
      ["p.workflows.state", { "cleanup.policy": "compact,delete" }],
    ]);
    expect(topicProblems(config, ok)).toEqual([]);
    const bad = new Map([
      ["p.workflows.events", { "cleanup.policy": "compact" }],
      ["p.workflows.state", { "cleanup.policy": null }],
    ]);
    expect(topicProblems(config, bad)).toEqual([
      expect.stringContaining("p.workflows.state has cleanup.policy=delete, expected compact"),
      expect.stringContaining("p.workflows.events has cleanup.policy=compact, expected delete"),
    ]);
  });
});
