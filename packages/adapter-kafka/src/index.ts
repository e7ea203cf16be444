/**
 * phasekit's Kafka adapter: the control plane's event log and compacted state log on a real Apache
 * Kafka cluster (`layerKafka`), a dead-letter queue for records no consumer can decode
 * (`KafkaDeadLetters`), and the small client interface the adapter runs on (`KafkaClient`).
 *
 * @packageDocumentation
 */
export type {
  GroupMember,
  IncomingRecord,
  JoinOptions,
  KafkaClient,
  OutgoingRecord,
  PartitionOffset,
  RecordPosition,
  TopicSpec,
} from "./client.js";
export {
  decodeKafkaConfig,
  groupName,
  type KafkaConfig,
  type KafkaConfigInput,
  parseBrokers,
  type TopicNames,
  topicNames,
} from "./config.js";
export {
  type DeadLetterInput,
  type DeadLetterRecord,
  decodeDeadLetter,
  encodeDeadLetter,
  type KafkaDeadLetterHook,
  KafkaDeadLetters,
  type KafkaDeadLettersShape,
  makeKafkaDeadLetters,
} from "./dead-letters.js";
export { type KafkaPorts, layerKafka, layerKafkaClient } from "./layer.js";
export { kafkaLog, nextOffsets } from "./log.js";
export { createPlatformaticClient, type PlatformaticOptions } from "./platformatic/client.js";
export { testBrokers } from "./testing/broker.js";
export { defaultTopicConfigs, topicProblems, topicSpecs } from "./topics.js";
