import type { TopicSpec } from "./client.js";
import { type KafkaConfig, topicNames } from "./config.js";

/**
 * The three topics of a prefix and the configs they are created with. The event log keeps every
 * record forever (`retention.ms=-1`): "the current system state can be reconstructed by re-playing
 * all the messages" (Dyff's design). The state log is compacted (`cleanup.policy=compact`), keeping
 * at least the latest object of every entity. Dead letters are kept forever too, so none is lost
 * to retention before someone looks at it. Partitions and replication come from the configuration
 * (defaults: 3 partitions, the broker's default replication factor).
 *
 * @module
 */

/** Configs every created topic gets, before the user's `topicConfigs`. */
export const defaultTopicConfigs = {
  events: { "cleanup.policy": "delete", "retention.ms": "-1" },
  state: { "cleanup.policy": "compact" },
  deadLetters: { "cleanup.policy": "delete", "retention.ms": "-1" },
} as const;

/**
 * The topics to ensure for a configuration: events, state, dead letters.
 *
 * @example
 * ```ts
 * topicSpecs(config).map((t) => t.name); // ["dyff.workflows.events", "dyff.workflows.state", "dyff.workflows.dlq"]
 * ```
 */
export function topicSpecs(config: KafkaConfig): TopicSpec[] {
  const names = topicNames(config);
  const spec = (role: keyof typeof defaultTopicConfigs): TopicSpec => ({
    name: names[role],
    partitions: config.partitions,
    replicationFactor: config.replicationFactor,
    configs: { ...defaultTopicConfigs[role], ...config.topicConfigs[role] },
  });
  return [spec("events"), spec("state"), spec("deadLetters")];
}

const policies = (configs: Readonly<Record<string, string | null>> | undefined) =>
  (configs?.["cleanup.policy"] ?? "delete").split(",").map((p) => p.trim());

/**
 * What is wrong with the topics as they exist (they may predate the adapter): the state topic must
 * be compacted and the event topic must not be (compaction would drop the history a replay needs).
 * An empty list when all is well.
 *
 * @example
 * ```ts
 * topicProblems(config, new Map([["dyff.workflows.state", { "cleanup.policy": "delete" }]]));
 * // ['topic dyff.workflows.state has cleanup.policy=delete, expected compact (the state log keeps the latest object of each entity)']
 * ```
 */
export function topicProblems(
  config: KafkaConfig,
  actual: ReadonlyMap<string, Readonly<Record<string, string | null>>>,
): string[] {
  const names = topicNames(config);
  const problems: string[] = [];
  const state = policies(actual.get(names.state));
  if (actual.has(names.state) && !state.includes("compact"))
    problems.push(
      `topic ${names.state} has cleanup.policy=${state.join(",")}, expected compact (the state log keeps the latest object of each entity)`,
    );
  const events = policies(actual.get(names.events));
  if (actual.has(names.events) && events.includes("compact"))
    problems.push(
      `topic ${names.events} has cleanup.policy=${events.join(",")}, expected delete (compaction would drop the history a replay needs)`,
    );
  return problems;
}
