import { DecodeError, decode } from "@phasekit/core";
import { z } from "zod";

/**
 * The Kafka adapter's configuration: where the brokers are, which topics, and how consumers wait.
 * Decoded once, when the layer is made, so a bad value is reported with its field and the value
 * found there before anything connects.
 *
 * @module
 */

/** A `host:port` bootstrap address. */
const broker = z.string().regex(/^[^\s:,]+:\d{1,5}$/, "host:port, for example 127.0.0.1:19092");

const topicConfigs = z.record(z.string().min(1), z.string());

const kafkaConfigSchema = z
  .object({
    brokers: z.union([z.string(), z.array(z.string())], {
      error: "a comma-separated string or a list of host:port addresses",
    }),
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, "letters, digits, '.', '_' or '-'")
      .max(200)
      .default("dyff"),
    clientId: z.string().min(1).default("phasekit"),
    partitions: z.number().int().min(1).max(10_000).default(3),
    replicationFactor: z
      .number()
      .int()
      .refine(
        (n) => n === -1 || n >= 1,
        "-1 (the broker's default.replication.factor) or a whole number >= 1",
      )
      .default(-1),
    topicConfigs: z
      .object({ events: topicConfigs, state: topicConfigs, deadLetters: topicConfigs })
      .partial()
      .strict()
      .default({}),
    pollWaitMs: z.number().int().min(0).max(30_000).default(200),
    bufferSize: z.number().int().min(1).max(1_000_000).default(10_000),
    sessionTimeoutMs: z.number().int().min(1_000).max(3_600_000).default(10_000),
    heartbeatIntervalMs: z.number().int().min(50).max(60_000).default(500),
    connectTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
    clientThread: z.boolean().default(true),
  })
  .strict();

/** What a user passes to `layerKafka`. Only `brokers` is required. */
export interface KafkaConfigInput {
  /** Bootstrap brokers: `"h1:9092,h2:9092"` or `["h1:9092", "h2:9092"]`. */
  readonly brokers: string | readonly string[];
  /** Topic prefix (default `dyff`): topics `<prefix>.workflows.events`, `.state` and `.dlq`. */
  readonly prefix?: string;
  /** Client id the brokers see (default `phasekit`). */
  readonly clientId?: string;
  /** Partitions of each topic when the adapter creates it (default 3). Existing topics keep theirs. */
  readonly partitions?: number;
  /** Replication factor of created topics (default -1: the broker's `default.replication.factor`). */
  readonly replicationFactor?: number;
  /** Extra topic configs for created topics, e.g. `{ state: { "segment.ms": "100" } }`. */
  readonly topicConfigs?: {
    readonly events?: Readonly<Record<string, string>>;
    readonly state?: Readonly<Record<string, string>>;
    readonly deadLetters?: Readonly<Record<string, string>>;
  };
  /** How long an empty `poll` waits for records to arrive (default 200 ms). */
  readonly pollWaitMs?: number;
  /** Records a consumer buffers before it pauses fetching (default 10000). */
  readonly bufferSize?: number;
  /** Consumer group session timeout (default 10 s; the broker allows 6 s to 30 min by default). */
  readonly sessionTimeoutMs?: number;
  /** Consumer heartbeat interval (default 500 ms). */
  readonly heartbeatIntervalMs?: number;
  /** Connection and request timeout (default 10 s). */
  readonly connectTimeoutMs?: number;
  /**
   * Run the Kafka client's consumers and producer on a thread of the process's own (default true):
   * fetching, parsing and encoding records then leave the thread that folds them. False keeps
   * everything on the caller's thread.
   */
  readonly clientThread?: boolean;
}

/** A decoded configuration: every default filled in, brokers as a list. */
export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly prefix: string;
  readonly clientId: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly topicConfigs: {
    readonly events?: Readonly<Record<string, string>>;
    readonly state?: Readonly<Record<string, string>>;
    readonly deadLetters?: Readonly<Record<string, string>>;
  };
  readonly pollWaitMs: number;
  readonly bufferSize: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly connectTimeoutMs: number;
  readonly clientThread: boolean;
}

/**
 * Parses a comma-separated broker list (`"h1:9092, h2:9092"`), as `--kafka` and
 * `PHASEKIT_KAFKA_BROKERS` give it, into addresses; a DecodeError names each bad entry.
 *
 * @example
 * ```ts
 * parseBrokers("127.0.0.1:19092,127.0.0.1:19093"); // ["127.0.0.1:19092", "127.0.0.1:19093"]
 * ```
 */
export function parseBrokers(text: string, subject = "Kafka brokers"): string[] | DecodeError {
  const list = text
    .split(",")
    .map((b) => b.trim())
    .filter((b) => b !== "");
  const parsed = decode(z.array(broker).min(1), list, subject);
  if (!(parsed instanceof DecodeError)) return parsed;
  return new DecodeError(
    subject,
    parsed.issues.map((i) => ({ ...i, path: i.path === "$" ? "brokers" : `brokers${i.path}` })),
  );
}

/**
 * Decodes a configuration, filling in the defaults; a DecodeError lists every bad field.
 *
 * @example
 * ```ts
 * const config = decodeKafkaConfig({ brokers: "127.0.0.1:19092", prefix: "test-1" });
 * if (config instanceof DecodeError) throw config;
 * topicNames(config).events; // "test-1.workflows.events"
 * ```
 */
export function decodeKafkaConfig(input: unknown): KafkaConfig | DecodeError {
  const subject = "Kafka adapter config";
  const config = decode(kafkaConfigSchema, input, subject);
  if (config instanceof DecodeError) return config;
  const list = typeof config.brokers === "string" ? config.brokers : config.brokers.join(",");
  const brokers = parseBrokers(list, subject);
  if (brokers instanceof DecodeError) return brokers;
  const { events, state, deadLetters } = config.topicConfigs;
  return {
    ...config,
    brokers,
    topicConfigs: {
      ...(events && { events }),
      ...(state && { state }),
      ...(deadLetters && { deadLetters }),
    },
  };
}

/** The three topics of one prefix. */
export interface TopicNames {
  readonly events: string;
  readonly state: string;
  readonly deadLetters: string;
}

/**
 * The topic names of a configuration (Dyff's names with the default prefix `dyff`).
 *
 * @example
 * ```ts
 * topicNames({ prefix: "dyff" }); // { events: "dyff.workflows.events", state: "dyff.workflows.state", deadLetters: "dyff.workflows.dlq" }
 * ```
 */
export function topicNames(config: { readonly prefix: string }): TopicNames {
  return {
    events: `${config.prefix}.workflows.events`,
    state: `${config.prefix}.workflows.state`,
    deadLetters: `${config.prefix}.workflows.dlq`,
  };
}

/**
 * The name a consumer group joins on the broker: the port's group under the prefix, as the topics
 * are, so control planes of different prefixes on one broker never share (or wait on) a group.
 *
 * @example
 * ```ts
 * groupName({ prefix: "dyff" }, "phasekit.workflows-aggregator"); // "dyff.phasekit.workflows-aggregator"
 * ```
 */
export function groupName(config: { readonly prefix: string }, group: string): string {
  return `${config.prefix}.${group}`;
}
