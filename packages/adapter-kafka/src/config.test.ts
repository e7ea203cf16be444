import { DecodeError } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { decodeKafkaConfig, groupName, parseBrokers, topicNames } from "./config.js";

describe("Kafka adapter config", () => {
  it("fills in the defaults and splits a comma-separated broker list", () => {
    const config = decodeKafkaConfig({ brokers: " 127.0.0.1:19092, kafka-2:9092 ," });
    expect(config).toMatchObject({
      brokers: ["127.0.0.1:19092", "kafka-2:9092"],
      prefix: "dyff",
      partitions: 3,
      replicationFactor: -1,
      topicConfigs: {},
    });
  });

  it("names Dyff's topics after the prefix", () => {
    expect(topicNames({ prefix: "dyff" })).toEqual({
      events: "dyff.workflows.events",
      state: "dyff.workflows.state",
      deadLetters: "dyff.workflows.dlq",
    });
  });

  it("puts consumer groups under the prefix, as the topics are", () => {
    expect(groupName({ prefix: "dyff" }, "phasekit.workflows-sink")).toBe("dyff.phasekit.workflows-sink");
    expect(groupName({ prefix: "a" }, "g")).not.toBe(groupName({ prefix: "b" }, "g"));
  });

  it("a bad field is reported with its path, the value found and what was expected", () => {
    const config = decodeKafkaConfig({ brokers: ["127.0.0.1:19092", "nohost"], partitions: 0 });
    expect(config).toBeInstanceOf(DecodeError);
    const issues = (config as DecodeError).issues;
    expect(issues).toEqual([expect.objectContaining({ path: "partitions", value: 0 })]);
    const brokers = decodeKafkaConfig({ brokers: ["127.0.0.1:19092", "nohost"] }) as DecodeError;
    expect(brokers.issues).toEqual([
      { path: "brokers[1]", value: "nohost", expected: "host:port, for example 127.0.0.1:19092" },
    ]);
  });

  it("refuses unknown fields, a prefix Kafka cannot name a topic with, and replication 0", () => {
    const config = decodeKafkaConfig({ brokers: "h:1", prefix: "a b", replicationFactor: 0, extra: 1 });
    expect((config as DecodeError).issues.map((i) => i.path).sort()).toEqual([
      "extra",
      "prefix",
      "replicationFactor",
    ]);
  });

  it("an empty broker list is an error about brokers", () => {
    expect((parseBrokers(" , ") as DecodeError).issues[0]?.path).toBe("brokers");
  });
});
