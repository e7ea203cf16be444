/**
 * The consumer groups of the control plane: the one place their names are written. The services
 * default to them, the simulator's idle check and the runtime's quiet check read them. A log adapter
 * on a shared server keeps control planes apart itself: the Kafka adapter joins
 * `<prefix>.<group>` (`dyff.phasekit.workflows-aggregator`), as it names its topics
 * `<prefix>.workflows.events`.
 *
 * @module
 */

/**
 * Each service that consumes a log: the log it reads and its consumer group (its default `group`).
 *
 * @example
 * ```ts
 * import { consumerGroups } from "@phasekit/core";
 *
 * consumerGroups.aggregator; // { log: "events", group: "phasekit.workflows-aggregator" }
 * ```
 */
export const consumerGroups = {
  aggregator: { log: "events", group: "phasekit.workflows-aggregator" },
  sink: { log: "state", group: "phasekit.workflows-sink" },
  orchestrator: { log: "state", group: "phasekit.orchestrator" },
} as const;

/** A service that consumes a log: `aggregator`, `sink` or `orchestrator`. */
export type ConsumingService = keyof typeof consumerGroups;
