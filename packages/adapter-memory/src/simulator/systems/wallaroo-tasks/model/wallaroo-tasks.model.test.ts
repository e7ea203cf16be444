import fc from "fast-check";
import { describe, it } from "vitest";
import { wallarooTaskCommands } from "./commands.js";
import { type Model, type Real, readyEngine } from "./model.js";

/**
 * Random task creations (every type, scripted outcomes, timeouts), kills and waits, checked after
 * every command. fast-check prints the seed and the shrunk command list of a failure.
 */

describe("the Wallaroo tasks engine, model-based", () => {
  it("under random creations, kills and waits, a killed task starts no run and keeps no logs, a continuous task never runs twice at once, run once runs at most once, scheduled runs follow every cron match, and statuses follow the machines", () => {
    fc.assert(
      fc.property(fc.commands(wallarooTaskCommands, { maxCommands: 30, size: "medium" }), (commands) => {
        const real: Real = { engine: readyEngine() };
        fc.modelRun(() => ({ model: { ids: [], killed: new Set() } satisfies Model, real }), commands);
      }),
      { numRuns: 100 },
    );
  });
});
