import { DecodeError } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../load.js";
import { renderJsonl, renderText } from "../../render.js";
import { runScenario } from "../../run.js";

/** The seed's "Tasks with Inference from Zero Scaled Deployments", as a scenario file. */
const wakeUp = `
seed: 3
resources:
  - system: wallaroo
    kind: Deployment
    id: ccfraud
    config: { cpus: 4, memory: 3Gi, minimum: 0, maximum: 5, autoscaleCpuUtilization: 75 }
    spoolUp: 45s
events:
  - { at: 2h, system: wallaroo, wakeUp: ccfraud, task: wake-ccfraud }
  - { at: 3h, system: wallaroo, load: ccfraud, rate: 120, cpuPerRequest: 0.1 }
  - { at: 3h30m, system: wallaroo, load: ccfraud, rate: 0 }
`;

function run(text: string) {
  const scenario = parseScenario(text, "wake-up.yaml");
  if (scenario instanceof DecodeError) throw scenario;
  return runScenario(scenario);
}

describe("Wallaroo deployments in a scenario file", () => {
  it("the wake-up task runs in the simulator beside the deployment, and every invariant holds", () => {
    const r = run(wakeUp);
    expect(r.invariants.filter((i) => !i.held)).toEqual([]);
    const seen = (id: string) => r.timeline.filter((e) => e.id === id).map((e) => `${e.t} ${e.status}`);
    expect(seen("wake-ccfraud")).toEqual(["7200 running", "7250 success"]);
    expect(seen("ccfraud").slice(0, 5)).toEqual([
      "0 Starting",
      "45 Running",
      "3600 Starting",
      "7200 Starting",
      "7245 Running",
    ]);
    expect(r.timeline.every((e) => e.system === "wallaroo")).toBe(true);
    expect(r.invariants.map((i) => i.name)).toContain(
      "no Wallaroo inference is served without a ready replica; every one requested while Running is served at once",
    );
  });

  it("prints the same bytes for the same seed", () => {
    expect(renderJsonl(run(wakeUp))).toBe(renderJsonl(run(wakeUp)));
    expect(renderText(run(wakeUp), "wake-up")).toBe(renderText(run(wakeUp), "wake-up"));
  });

  it("a bad deployment field is named at its path in the file", () => {
    const bad = wakeUp.replace("memory: 3Gi", "memory: 3GB").replace("minimum: 0", "minimum: 9");
    const decoded = parseScenario(bad, "wake-up.yaml") as DecodeError;
    expect(decoded).toBeInstanceOf(DecodeError);
    expect(decoded.issues.map((i) => [i.path, i.value])).toEqual([
      ["resources[0].config.memory", "3GB"],
      ["resources[0].config.minimum", 9],
    ]);
  });
});
