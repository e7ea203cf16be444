import { DecodeError } from "@phasekit/core";
import { Effect } from "effect";
import { parseScenario } from "./load.js";
import { type RunOptions, runScenario, type SimulationResult } from "./run.js";
import { decodeScenario, type Scenario, type ScenarioInput } from "./scenario.js";

/**
 * The simulator for programs that do not use Effect: `createSimulator(scenario)` then
 * `await sim.run()`. Beside it, {@link simulate} is the same run as an Effect.
 *
 * @module
 */

/** A scenario ready to run. */
export interface Simulator {
  /** The decoded scenario: defaults filled in, durations in milliseconds. */
  readonly scenario: Scenario;
  /** Runs the scenario (again: every run starts from scratch) and checks the invariants. */
  readonly run: (options?: RunOptions) => Promise<SimulationResult>;
}

/**
 * Creates a simulator from a scenario, written as an object (as in a YAML file: durations like
 * `"30s"`) or as YAML or JSON text. Bad input throws a {@link DecodeError} that lists every bad field
 * with its path and what was expected.
 *
 * @example
 * ```ts
 * import { createSimulator } from "@phasekit/adapter-memory";
 *
 * const sim = createSimulator({
 *   accounts: { alice: { tokens: ["alice-token"] } },
 *   resources: [{ kind: "Model", id: "m1", account: "alice", takes: "30s" }],
 * });
 * const { final, held } = await sim.run();
 * final[0]?.status; // "Ready"
 * held; // true: every invariant held
 * ```
 */
export function createSimulator(scenario: ScenarioInput | string, file = "scenario"): Simulator {
  const decoded =
    typeof scenario === "string" ? parseScenario(scenario, file) : decodeScenario(scenario, file);
  if (decoded instanceof DecodeError) throw decoded;
  return {
    scenario: decoded,
    run: (options = {}) => new Promise((resolve) => resolve(runScenario(decoded, options))),
  };
}

/**
 * Runs a decoded scenario as an Effect (it cannot fail: a broken invariant is part of the result).
 *
 * @example
 * ```ts
 * const result = yield* simulate(scenario, { seed: 7 });
 * ```
 */
export const simulate = (scenario: Scenario, options: RunOptions = {}): Effect.Effect<SimulationResult> =>
  Effect.sync(() => runScenario(scenario, options));
