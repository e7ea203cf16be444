import { DecodeError } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../load.js";

/** Wallaroo task items in a scenario: routed by kind beside deployments, every bad field named by its path. */

const orchestration = "{ system: wallaroo, kind: Orchestration, id: o, files: { main.py: '' } }";

function problems(yaml: string): string[] {
  const s = parseScenario(yaml, "s.yaml");
  return s instanceof DecodeError ? s.issues.map((i) => `${i.path}: ${i.expected}`) : [];
}

describe("the Wallaroo tasks part of a scenario", () => {
  it("routes Orchestration, Task and kill items to the tasks engine and Deployment items to the deployment engine", () => {
    const s = parseScenario(
      `resources:
  - { system: wallaroo, kind: Deployment, id: p, config: { maximum: 2 } }
  - ${orchestration}
  - { system: wallaroo, kind: Task, id: t, orchestration: o, type: continuous, args: { a: 1 } }
events:
  - { at: 1m, system: wallaroo, kill: t }
  - { at: 2m, system: wallaroo, undeploy: p }
`,
      "s.yaml",
    );
    if (s instanceof DecodeError) throw s;
    expect(s.systems?.wallarooTasks?.tasks.map((t) => t.id)).toEqual(["t"]);
    expect(s.systems?.wallarooTasks?.events).toEqual([
      { at: 60_000, system: "wallaroo", kill: "t", takes: 5_000 },
    ]);
    expect(s.systems?.wallaroo?.deployments.map((d) => d.id)).toEqual(["p"]);
    expect(s.systems?.wallaroo?.events).toHaveLength(1);
  });

  it("names each bad field at its index in the file", () => {
    const got = problems(`resources:
  - { system: wallaroo, kind: Deployment, id: p, config: { maximum: 2 } }
  - ${orchestration}
  - { system: wallaroo, kind: Task, id: a, orchestration: nope, type: once, runs: [ { outcome: explode } ] }
  - { system: wallaroo, kind: Task, id: b, orchestration: o, type: scheduled, schedule: "61 * * * *" }
  - { system: wallaroo, kind: Task, id: c, orchestration: o, type: continuous, timeout: 30s }
  - { system: wallaroo, kind: Task, id: d, orchestration: o, type: once, timeout: 1.5 }
events:
  - { at: 1m, system: wallaroo, kill: p }
  - { at: 1m, system: wallaroo, infer: t }
`);
    expect(got.some((p) => p.startsWith("resources[2].runs[0].outcome:"))).toBe(true);
    expect(got.some((p) => p.startsWith("resources[3].schedule:"))).toBe(true);
    expect(got).toContain(
      "resources[3].type: a kill event for b, or an `until` for the scenario (a scheduled task runs until killed)",
    );
    expect(got).toContain(
      "resources[4].timeout: no timeout on a continuous task (run_continuously takes none)",
    );
    expect(got).toContain("resources[5].timeout: a whole number of seconds greater than 0");
    expect(got).toContain("events[0].kill: the id of a Wallaroo Task declared in this scenario");
    expect(got).toContain("events[1].infer: the id of a Wallaroo deployment declared in this scenario");
  });

  it("names an orchestration that is not declared", () => {
    const got = problems(`resources:
  - { system: wallaroo, kind: Task, id: a, orchestration: nope, type: once }
`);
    expect(got).toEqual([
      "resources[0].orchestration: the id of a Wallaroo Orchestration declared in this scenario",
    ]);
  });

  it("takes pause and resume (experimental) for a Run Scheduled task only, one action an event", () => {
    const got = problems(`resources:
  - ${orchestration}
  - { system: wallaroo, kind: Task, id: c, orchestration: o, type: continuous }
  - { system: wallaroo, kind: Task, id: s, orchestration: o, type: scheduled, schedule: "*/5 * * * *" }
events:
  - { at: 1m, system: wallaroo, pause: c }
  - { at: 2m, system: wallaroo, pause: s, resume: s }
  - { at: 3m, system: wallaroo, pause: s }
  - { at: 4m, system: wallaroo, resume: s }
until: 1h
`);
    expect(got).toEqual([
      "events[0].pause: a Run Scheduled task (the SDK's experimental pause applies to run_scheduled tasks; c is continuous)",
      "events[1]: exactly one of kill, pause, resume (got pause, resume)",
    ]);
  });
});
