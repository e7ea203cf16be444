import { DecodeError, EventLog, LogError, StateLog } from "@phasekit/core";
import { Context, Effect, Layer } from "effect";
import type { KafkaClient } from "./client.js";
import { decodeKafkaConfig, type KafkaConfig, type KafkaConfigInput, topicNames } from "./config.js";
import { KafkaDeadLetters, makeKafkaDeadLetters } from "./dead-letters.js";
import { attempt, kafkaLog } from "./log.js";
import { createPlatformaticClient } from "./platformatic/client.js";
import { topicProblems, topicSpecs } from "./topics.js";

/**
 * `layerKafka(config)`: the event log and the compacted state log of the control plane on a real
 * Kafka cluster, plus the dead-letter queue. Building the layer connects, creates the topics that do
 * not exist yet and checks those that do; closing it closes every consumer and the producer.
 *
 * @module
 */

/** Every service a Kafka layer provides. */
export type KafkaPorts = EventLog | StateLog | KafkaDeadLetters;

/** Decodes the configuration, throwing the DecodeError (it names each bad field) at once. */
function configOrThrow(input: KafkaConfigInput): KafkaConfig {
  const config = decodeKafkaConfig(input);
  if (config instanceof DecodeError) throw config;
  return config;
}

/**
 * The ports over an existing client (which the layer does not close): for a client other than the
 * default one, or a test that shares a client between layers.
 *
 * @example
 * ```ts
 * const layer = layerKafkaClient(client, { brokers: "127.0.0.1:19092", prefix: "demo" });
 * ```
 */
export function layerKafkaClient(
  client: KafkaClient,
  input: KafkaConfigInput,
): Layer.Layer<KafkaPorts, LogError> {
  const config = configOrThrow(input);
  return Layer.effectContext(portsOf(client, config));
}

const portsOf = (client: KafkaClient, config: KafkaConfig) =>
  Effect.gen(function* () {
    const names = topicNames(config);
    const actual = yield* attempt(names.events, "create topics", () =>
      client.ensureTopics(topicSpecs(config)),
    );
    const problems = topicProblems(config, actual);
    if (problems.length > 0)
      return yield* Effect.fail(
        new LogError({ log: names.state, operation: "check topics", message: problems.join("; ") }),
      );
    return Context.make(EventLog, kafkaLog(client, config, names.events)).pipe(
      Context.add(StateLog, kafkaLog(client, config, names.state)),
      Context.add(KafkaDeadLetters, makeKafkaDeadLetters(client, names.deadLetters)),
    );
  });

/**
 * EventLog, StateLog and KafkaDeadLetters on Kafka (client: `@platformatic/kafka`). The config is
 * checked at once: a bad field throws a DecodeError naming it. Each build of the layer opens its own
 * connections, which close with the layer's scope. Topics: `<prefix>.workflows.events` (kept
 * forever), `<prefix>.workflows.state` (compacted) and `<prefix>.workflows.dlq`, created with
 * `partitions` (3) and `replicationFactor` (-1: the broker's default) unless they exist.
 *
 * @example
 * ```ts
 * import { layerKafka } from "@phasekit/adapter-kafka";
 * import { EventLog } from "@phasekit/core";
 * import { Effect } from "effect";
 *
 * const program = Effect.gen(function* () {
 *   const events = yield* EventLog;
 *   yield* events.append([{ key: "e1", value: JSON.stringify({ type: "Terminate", by: "alice", at: "2026-01-01T00:00:00Z" }) }]);
 * });
 * await Effect.runPromise(program.pipe(Effect.provide(layerKafka({ brokers: "127.0.0.1:19092" }))));
 * ```
 */
export function layerKafka(input: KafkaConfigInput): Layer.Layer<KafkaPorts, LogError> {
  const config = configOrThrow(input);
  return Layer.effectContext(
    Effect.gen(function* () {
      const client = yield* Effect.acquireRelease(
        Effect.sync(() =>
          createPlatformaticClient({
            brokers: config.brokers,
            clientId: config.clientId,
            timeoutMs: config.connectTimeoutMs,
            clientThread: config.clientThread,
          }),
        ),
        (c) => Effect.promise(() => c.close()),
      );
      return yield* portsOf(client, config);
    }),
  );
}
