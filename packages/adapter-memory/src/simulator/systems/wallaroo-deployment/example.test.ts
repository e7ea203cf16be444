import { readFileSync } from "node:fs";
import { DecodeError } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../load.js";
import { renderJsonl } from "../../render.js";
import { runScenario, type SimulationResult } from "../../run.js";

/** examples/wallaroo-wakeup.yaml: the seed's zero-scaled deployment and its wake-up task. */

const file = "examples/wallaroo-wakeup.yaml";
function run(): SimulationResult {
  const text = readFileSync(
    new URL("../../../../../../examples/wallaroo-wakeup.yaml", import.meta.url),
    "utf8",
  );
  const scenario = parseScenario(text, file);
  if (scenario instanceof DecodeError) throw scenario;
  return runScenario(scenario);
}
const at = (r: SimulationResult, id: string) =>
  r.timeline.filter((e) => e.id === id).map((e) => [e.t, e.reason ? `${e.status}/${e.reason}` : e.status]);

describe(file, () => {
  it("scales to zero after the idle hour, and the seed's wake-up loop brings it back and succeeds", () => {
    const r = run();
    expect(r.invariants.filter((i) => !i.held)).toEqual([]);
    expect(at(r, "ccfraud").slice(0, 5)).toEqual([
      [0, "Starting/Deploying"],
      [45, "Running"],
      [3600, "Starting/ScaledToZero"],
      [7200, "Starting/WakingUp"],
      [7245, "Running"],
    ]);
    // The task's inferences time out while the first replica spools up; it ends only after Running.
    expect(at(r, "ccfraud-wakeup-1")).toEqual([
      [7200, "running"],
      [7250, "success"],
    ]);
  });

  it("runs the same, byte for byte, with the same seed", () => {
    expect(renderJsonl(run())).toBe(renderJsonl(run()));
  });
});
