import { DecodeError } from "@phasekit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../simulator/load.js";
import { runScenario } from "../simulator/run.js";
import { decodeScenario } from "../simulator/scenario.js";
import { failureYaml, fuzz } from "./fuzz.js";
import { fuzzSystems, scenarioArbitrary } from "./scenario.js";

describe("scenarioArbitrary", () => {
  it("every generated scenario, of every system alone or all together, decodes", () => {
    for (const systems of [...fuzzSystems.map((s) => [s]), fuzzSystems])
      fc.assert(
        fc.property(
          scenarioArbitrary({ systems }),
          (s) => !(decodeScenario(s, "gen") instanceof DecodeError),
        ),
        { numRuns: 60, seed: 7 },
      );
  });

  it("holds only the systems asked for", () => {
    for (const s of fc.sample(scenarioArbitrary({ systems: ["ray"] }), { numRuns: 30, seed: 3 }))
      for (const r of s.resources) expect(r.system).toBe("ray");
  });
});

describe("fuzz", () => {
  it("a bounded run with a fixed seed finds no broken invariant on main, and reports the coverage of every machine", () => {
    const report = fuzz({ runs: 60, seed: 20261206 });
    expect(report.failure?.invariant ?? null).toBeNull();
    expect(report.runs).toBe(60);
    expect(report.coverage.map((c) => c.system)).toEqual(expect.arrayContaining([...fuzzSystems]));
    for (const c of report.coverage) expect(c.taken + c.never.length).toBe(c.total);
    const evaluation = report.coverage.find((c) => c.kind === "Evaluation")!;
    expect(evaluation.taken).toBeGreaterThan(0);
  });

  it("finds a quota check broken on purpose (quota-slack) within 200 runs, and shrinks it to a scenario of at most 2 resources that breaks the quota invariant again", () => {
    const report = fuzz({ runs: 200, seed: 1, systems: ["dyff"], mutation: "quota-slack" });
    const failure = report.failure!;
    expect(failure).not.toBeNull();
    expect(failure.invariant.name).toBe("no quota was ever exceeded");
    expect(failure.scenario.resources.length).toBeLessThanOrEqual(2);
    expect(failure.scenario.events).toEqual([]);
    expect(failure.scenario.faults).toBeUndefined();
    // The YAML file reproduces it on the mutated simulator, and holds on the real one.
    const yaml = failureYaml(failure, report.seed, "fuzz-failure.yaml");
    expect(yaml).toMatch(/^# .*fuzz seed 1/);
    expect(yaml).toContain("# broken: no quota was ever exceeded");
    const scenario = parseScenario(yaml, "fuzz-failure.yaml");
    if (scenario instanceof DecodeError) throw scenario;
    const mutated = runScenario(scenario, { mutation: "quota-slack" });
    expect(mutated.invariants.find((i) => i.name === "no quota was ever exceeded")?.held).toBe(false);
    expect(runScenario(scenario).held).toBe(true);
  });

  it("is deterministic: the same seed and options give the same report", () => {
    const a = fuzz({ runs: 10, seed: 5, systems: ["runai", "ray"] });
    const b = fuzz({ runs: 10, seed: 5, systems: ["runai", "ray"] });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
