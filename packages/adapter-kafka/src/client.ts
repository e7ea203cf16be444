/**
 * The little of a Kafka client the adapter uses, as our own interface, so that the library behind
 * it (today `@platformatic/kafka`, see `platformatic/`) can be swapped without touching the ports.
 * Promise-based and Effect-free on purpose: it is the seam a replacement implements.
 *
 * Offsets are JavaScript numbers: exact up to 2^53, which a partition does not reach.
 *
 * @module
 */

/** A topic the adapter needs, as it would create it. */
export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** -1: the broker's `default.replication.factor`. */
  readonly replicationFactor: number;
  /** Topic-level configs, e.g. `{ "cleanup.policy": "compact" }`. */
  readonly configs: Readonly<Record<string, string>>;
}

/** A record to produce. */
export interface OutgoingRecord {
  readonly key: string;
  readonly value: string;
}

/** Where a produced record landed. */
export interface RecordPosition {
  readonly partition: number;
  readonly offset: number;
}

/** A consumed record. A null key or value (a foreign producer, a tombstone) arrives as "". */
export interface IncomingRecord extends RecordPosition {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
}

/** The next offset to read in one partition: what a consumer group commits. */
export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** One member of a consumer group, subscribed to one topic. */
export interface GroupMember {
  /**
   * Up to `max` records, waiting at most `waitMs` when none is buffered. Within one call a
   * partition's records come in increasing offset order. Rejects when the member can no longer
   * consume (it left, or its stream failed): the caller makes a new one, which starts again from
   * the committed offsets.
   */
  readonly poll: (max: number, waitMs: number) => Promise<IncomingRecord[]>;
  /** Commits these next offsets for the group; resolves once the coordinator stored them. */
  readonly commit: (offsets: readonly PartitionOffset[]) => Promise<void>;
  /** Leaves the group without committing anything. Never rejects. */
  readonly close: () => Promise<void>;
}

/** How a member joins its group. */
export interface JoinOptions {
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** Records buffered before fetching pauses. */
  readonly bufferSize: number;
}

/** A connection to one Kafka cluster. */
export interface KafkaClient {
  /**
   * Creates the topics that do not exist yet; an existing topic is fine (concurrent creators race
   * harmlessly). Returns, per topic, the configs it actually has, for the caller to check.
   */
  readonly ensureTopics: (
    topics: readonly TopicSpec[],
  ) => Promise<ReadonlyMap<string, Readonly<Record<string, string | null>>>>;
  /** Produces records to one topic in order (idempotent, all in-sync replicas acknowledge); returns where each landed. */
  readonly produce: (topic: string, records: readonly OutgoingRecord[]) => Promise<RecordPosition[]>;
  /** Joins `group` on `topic`; resolves once the member is in the group. */
  readonly join: (group: string, topic: string, options: JoinOptions) => Promise<GroupMember>;
  /** Every record of `topic` from the start of each partition to its end now, partition by partition. */
  readonly readAll: (topic: string) => Promise<IncomingRecord[]>;
  /** The committed next offsets of `group` on `topic` (partitions without a commit are left out). */
  readonly committed: (group: string, topic: string) => Promise<PartitionOffset[]>;
  /** Closes every connection, member and producer. Never rejects. */
  readonly close: () => Promise<void>;
}
