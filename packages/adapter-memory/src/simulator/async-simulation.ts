import type { Operation } from "./operations.js";
import { Simulation } from "./simulation.js";
import type { SimulationBackend, SimulationSetup } from "./simulation-setup.js";
import { runStepsAsync } from "./steps.js";

/**
 * The simulation loop run asynchronously: the same {@link Simulation} (agenda, clock, settle,
 * cluster player, timeline, checks), its steps run as Promises, so its services can run over ports
 * whose Effects wait for the network (the logs on a real Kafka, the key-value store on etcd).
 *
 * @module
 */

/**
 * A simulation over other ports, driven asynchronously.
 *
 * @example
 * ```ts
 * const sim = await AsyncSimulation.open(setup, { events, state, quiet: () => caughtUp() });
 * sim.simulation.schedule(0, "create m1", () => sim.run({ type: "create", resource, token: "t" }));
 * await sim.advanceTo(60_000);
 * sim.simulation.timeline; // what the view saw
 * await sim.close();
 * ```
 */
export class AsyncSimulation {
  private constructor(readonly simulation: Simulation) {}

  /** Builds the simulation over `over`'s ports and starts its services. */
  static async open(setup: SimulationSetup, over: SimulationBackend): Promise<AsyncSimulation> {
    const simulation = new Simulation(setup, over);
    await runStepsAsync(simulation.startServices());
    return new AsyncSimulation(simulation);
  }

  /** Runs an operation now (a command, a failure, a settle) and lets the platform settle. */
  run(op: Operation): Promise<void> {
    return runStepsAsync(this.simulation.operation(op));
  }

  /** Runs every action due up to `until`, then sets the clock to `until`. */
  advanceTo(until: number, onInstant?: (now: number) => void): Promise<void> {
    return this.run({ type: "advance", until, onInstant });
  }

  /** Stops the services (their scopes close without committing). */
  close(): Promise<void> {
    return runStepsAsync(this.simulation.stopServices());
  }
}
