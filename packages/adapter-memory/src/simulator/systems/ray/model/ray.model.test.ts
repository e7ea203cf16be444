import fc from "fast-check";
import { describe, it } from "vitest";
import { RayEngine } from "../engine.js";
import { raySection } from "../scenario.js";
import { rayCommands } from "./commands.js";
import type { Model, Real } from "./model.js";

/**
 * Random runs, resumes, cancels, cluster restarts and waits under random queue limits, checked after
 * every command. fast-check prints the seed and the shrunk command list of a failure.
 */

const limits = fc.record({ maxRunning: fc.constantFrom(1, 2, -1), maxPending: fc.constantFrom(0, 1, 2, -1) });

describe("the Ray engine, model-based", () => {
  it("under random commands and queue limits, the limits hold, RESUMABLE is never stored, statuses follow the machines, and the timeline shows what get_status says", () => {
    fc.assert(
      fc.property(limits, fc.commands(rayCommands, { maxCommands: 40, size: "medium" }), (l, commands) => {
        const real: Real = { engine: new RayEngine(raySection.parse(l)) };
        fc.modelRun(() => ({ model: { ids: [] } satisfies Model, real }), commands);
      }),
      { numRuns: 100 },
    );
  });
});
