import fc from "fast-check";
import { describe, it } from "vitest";
import { RunaiEngine } from "../engine.js";
import { runaiSection } from "../scenario.js";
import { runaiCommands } from "./commands.js";
import type { Model, Real } from "./model.js";

/**
 * Random submissions, deletions, scheduler outages and waits, checked after every command. fast-check
 * prints the seed and the shrunk command list of a failure; replay with `fc.assert(property, { seed, path })`.
 */

const section = runaiSection.parse({
  projects: { a: { gpu: 2, interactiveTimeout: "40m" }, b: { gpu: 1 }, c: { gpu: 0 } },
  nodes: [
    { name: "n1", gpu: 4 },
    { name: "n2", gpu: 2 },
  ],
});

describe("the Run:ai engine, model-based", () => {
  it("under random commands, in-quota use stays within quotas, preempted jobs are requeued or Preempted, Fail comes only after backoffLimit retries, every sequence is a path of its machine, and the timeline shows what the objects say", () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.commands(runaiCommands, { maxCommands: 40, size: "medium" }),
        (seed, commands) => {
          const real: Real = { engine: new RunaiEngine(section, seed) };
          fc.modelRun(() => ({ model: { jobs: [] } satisfies Model, real }), commands);
        },
      ),
      { numRuns: 100 },
    );
  });
});
