import type { Verb } from "@phasekit/core";
import fc from "fast-check";
import { describe, it } from "vitest";
import { Simulation } from "../simulation.js";
import type { SimulationSetup } from "../simulation-setup.js";
import { pipelineCommands } from "./commands.js";
import { accounts, type Model, type Real, tokenOf } from "./model.js";

/**
 * The whole pipeline in memory (commands, aggregator, sink, orchestrator, operator, informer, the
 * simulated cluster), driven by random commands under random faults, checked after every command.
 * fast-check prints the seed and the shrunk command list of a failure; replay it with
 * `fc.assert(property, { seed, path })`.
 */

const faults = fc.record({
  duplicate: fc.constantFrom(0, 0.2, 0.5),
  crashBeforeCommit: fc.constantFrom(0, 0.05, 0.2),
  reorder: fc.boolean(),
  // A time lag changes which of two racing events lands first, so it may change a status for good:
  // the lockstep comparison below would flag that. The scenario examples exercise it instead.
  informerLag: fc.constant(0),
  staleReads: fc.nat(2),
});

const none: SimulationSetup["faults"] = {
  duplicate: 0,
  crashBeforeCommit: 0,
  reorder: false,
  informerLag: 0,
  staleReads: 0,
};

const setup = (seed: number, nodes: boolean, f: SimulationSetup["faults"]): SimulationSetup => ({
  seed,
  accounts: Object.fromEntries(
    accounts.map((a, i) => [
      a,
      {
        quota: [{ gpu: 2, slots: 3 }, { gpu: 1 }, {}][i]!,
        tokens: [{ token: tokenOf(a), verbs: ["create", "terminate", "delete", "label", "get"] as Verb[] }],
      },
    ]),
  ),
  nodes: nodes ? [{ name: "n1", gpu: 2, cpu: 64, memoryGiB: 512 }] : undefined,
  faults: f,
});

const pipeline = (commands: fc.Arbitrary<Iterable<fc.Command<Model, Real>>>) =>
  fc.property(fc.nat(), fc.boolean(), faults, commands, (seed, nodes, f, cmds) => {
    const real: Real = {
      faulty: new Simulation(setup(seed, nodes, f)),
      clean: new Simulation(setup(seed, nodes, none)),
    };
    fc.modelRun(() => ({ model: { resources: [] } satisfies Model, real }), cmds);
  });

describe("the pipeline in memory, model-based", () => {
  it("under random commands and faults, every invariant holds after every command and the statuses equal those without faults", () => {
    // Short runs, as many as the global config asks (1000 under CI): about 10 ms each.
    fc.assert(pipeline(fc.commands(pipelineCommands, { maxCommands: 15 })));
  });

  it("the same over long runs, where dependency chains complete, fail and get terminated or deleted", () => {
    // Long runs (20 commands on average) cost about 50-100 ms each: 300 under CI, 50 locally.
    fc.assert(pipeline(fc.commands(pipelineCommands, { maxCommands: 40, size: "+1" })), {
      numRuns: process.env.CI ? 300 : 50,
    });
  }, 600_000);
});
