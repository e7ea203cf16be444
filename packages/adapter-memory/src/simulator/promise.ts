import { DecodeError, type EntityHistory } from "@phasekit/core";
import { Effect } from "effect";
import { simulationHistory } from "./history.js";
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
  /**
   * Runs the scenario and gives one entity's history (what `phasekit simulate --entity <id>`
   * prints); rejects with a {@link DecodeError} naming the ids of the run when it has no `id`.
   */
  readonly history: (id: string, options?: RunOptions) => Promise<EntityHistory>;
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
 * const history = await sim.history("m1");
 * history.items.map((i) => i.type); // ["command", "status", "status", "status"]
 * ```
 */
export function createSimulator(scenario: ScenarioInput | string, file = "scenario"): Simulator {
  const decoded =
    typeof scenario === "string" ? parseScenario(scenario, file) : decodeScenario(scenario, file);
  if (decoded instanceof DecodeError) throw decoded;
  return {
    scenario: decoded,
    run: (options = {}) => new Promise((resolve) => resolve(runScenario(decoded, options))),
    history: (id, options = {}) =>
      new Promise((resolve, reject) => {
        const h = simulationHistory(runScenario(decoded, options), id);
        if (h instanceof DecodeError) reject(h);
        else resolve(h);
      }),
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
