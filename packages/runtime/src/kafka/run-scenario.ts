import type { Scenario } from "@phasekit/adapter-memory";
import { type BackendScenarioOptions, type BackendScenarioResult, runScenarioOn } from "../run-scenario.js";

/**
 * `phasekit simulate --kafka`: a scenario by the one simulation loop with its logs on a real Kafka
 * (see `runScenarioOn`).
 *
 * @module
 */

export interface KafkaScenarioOptions extends BackendScenarioOptions {
  readonly brokers: readonly string[];
  /** Topic prefix of this run; its topics must be new (empty). */
  readonly prefix: string;
}

/** A Kafka run's result: the simulator's, plus the topic prefix and the faults that were not applied. */
export interface KafkaScenarioResult extends BackendScenarioResult {
  readonly prefix: string;
}

/**
 * Runs a decoded Dyff scenario with its logs on Kafka and checks the invariants.
 *
 * @example
 * ```ts
 * const result = await runScenarioOnKafka(scenario, { brokers: ["127.0.0.1:19092"], prefix: "sim-1" });
 * result.held; // every invariant held
 * ```
 */
export async function runScenarioOnKafka(
  scenario: Scenario,
  options: KafkaScenarioOptions,
): Promise<KafkaScenarioResult> {
  const { brokers, prefix, ...rest } = options;
  const kafka = { brokers, prefix, clientId: "phasekit-simulate", pollWaitMs: 20 };
  return { prefix, ...(await runScenarioOn(scenario, { kafka }, rest)) };
}
