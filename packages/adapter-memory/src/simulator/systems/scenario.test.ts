import { readFileSync } from "node:fs";
import { DecodeError } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../load.js";
import { runScenario } from "../run.js";
import { decodeScenario } from "../scenario.js";
import { otherSystems } from "./scenario.js";

/** The Run:ai and Ray parts of the scenario format: what decodes, and what is refused, at which path. */

const runai = { projects: { a: { gpu: 2 } }, nodes: [{ name: "n1", gpu: 4 }] };
const job = (extra: object = {}) => ({
  system: "runai",
  kind: "TrainingJob",
  id: "j1",
  project: "a",
  ...extra,
});
const wf = (extra: object = {}) => ({
  system: "ray",
  kind: "Workflow",
  id: "w1",
  steps: [{ name: "s" }],
  ...extra,
});

/** The issues of a scenario that must not decode, as `path: expected`. */
function problems(input: unknown): string[] {
  const decoded = decodeScenario(input, "test.yaml");
  if (!(decoded instanceof DecodeError)) throw new Error("expected a DecodeError");
  return decoded.issues.map((i) => `${i.path}: ${i.expected}`);
}

describe("scenario: system runai and ray", () => {
  it("a scenario of Run:ai and Ray resources alone decodes without accounts, defaults filled in", () => {
    const s = decodeScenario({ runai, resources: [job(), wf({ id: "w1" })] });
    if (s instanceof DecodeError) throw s;
    expect(s.resources).toEqual([]);
    expect(s.systems?.runai?.jobs[0]).toMatchObject({
      id: "j1",
      gpu: 1,
      attempts: [{}],
      at: 0,
      pullFailures: 0,
    });
    expect(s.systems?.runai?.section.timing).toEqual({ pull: 10_000, init: 5_000, grace: 30_000 });
    expect(s.systems?.ray?.limits).toEqual({ maxRunning: -1, maxPending: -1, retrySemantics: "2.x" });
    expect(s.systems?.ray?.workflows[0]?.steps[0]).toMatchObject({ takes: 1_000, raises: 0 });
  });

  it("Dyff, Run:ai and Ray resources mix in one file; Dyff errors keep their index in the file", () => {
    const input = {
      accounts: { alice: { tokens: ["t"] } },
      runai,
      resources: [
        job(),
        { kind: "Model", id: "m1", account: "alice" },
        wf(),
        { kind: "Modle", id: "m2", account: "alice" },
      ],
    };
    expect(problems(input)).toEqual([
      "resources[3].kind: one of Model, Dataset, InferenceService, InferenceSession, Evaluation, Report",
    ]);
    const ok = decodeScenario({ ...input, resources: input.resources.slice(0, 3) });
    expect(ok).not.toBeInstanceOf(DecodeError);
  });

  it("every bad Run:ai field is named by its path in the file", () => {
    expect(
      problems({
        runai: { projects: { a: { gpu: -1 } }, nodes: [], timing: { grace: "soon" } },
        resources: [
          { kind: "Model", id: "m1", account: "x" },
          job({ project: "b", attempts: [{ exit: 3 }], preemptible: true, gpu: 1.5 }),
          job({ id: "j2", kind: "InteractiveJob", backoffLimit: 1, attempts: [{ runs: "1m", exit: 256 }] }),
        ],
        events: [
          { at: "1m", system: "runai", delete: "nope" },
          { at: "1m", system: "runai" },
        ],
      }),
    ).toEqual([
      "accounts: an object (the field is required)",
      "resources[1].gpu: a whole number",
      "resources[2].attempts[0].exit: an exit code from 0 to 255",
      "runai.projects.a.gpu: 0 or more",
      "runai.nodes: at least one node",
      "runai.timing.grace: a duration such as 30s, 1m, 2h or 1h30m (or a number of seconds)",
      "events[0].delete: the id of a Run:ai job declared in this scenario",
      "events[1]: exactly one of delete, schedulerDown (got none)",
    ]);
  });

  it("kind-specific Run:ai fields sit on their kind; the project must exist; an exit code needs runs", () => {
    expect(
      problems({
        runai,
        resources: [
          job({ project: "b", attempts: [{ exit: 3 }], preemptible: true, workers: 2 }),
          job({ id: "j2", kind: "InteractiveJob", backoffLimit: 1 }),
        ],
      }),
    ).toEqual([
      "resources[0].project: one of the runai projects: a",
      "resources[0].workers: no such field on a TrainingJob (only a DistributedJob has workers)",
      "resources[0].preemptible: no such field on a TrainingJob (training and distributed jobs are always preemptible)",
      "resources[0].attempts[0].runs: how long the run lasts before it exits (runs), since it has an exit code",
      "resources[1].backoffLimit: no such field on an InteractiveJob (it restarts without limit, in CrashLoopBackOff)",
    ]);
    expect(problems({ resources: [job()] })).toEqual([
      "runai: a runai section (projects and nodes) since the scenario has Run:ai jobs",
    ]);
    expect(
      problems({ runai, resources: [job({ kind: "InteractiveJob", attempts: [{ runs: "1m", exit: 1 }] })] }),
    ).toEqual([
      "until: a time to stop, since j1 never stops retrying (an image that never pulls, or an interactive job that keeps exiting)",
    ]);
    expect(
      decodeScenario({ runai, until: "1h", resources: [job({ pullFailures: "always" })] }),
    ).not.toBeInstanceOf(DecodeError);
  });

  it("Ray fields are checked as Ray checks them, at their path", () => {
    expect(
      problems({
        ray: { maxRunning: 0 },
        resources: [
          wf({
            metadata: "x",
            steps: [
              { func: "f", options: { max_retries: -2, colour: 1 }, metadata: { ok: [1, Number.NaN] } },
              { takes: "1m" },
            ],
          }),
        ],
        events: [
          { at: 1, system: "ray", resume: "w2" },
          { at: 2, system: "ray", cancel: "w1", restartCluster: true },
        ],
      }),
    ).toEqual([
      "ray.maxRunning: a positive integer, or -1 for no limit",
      "resources[0].metadata: a plain object (a dict) whose values are JSON values",
      "resources[0].steps[0].options.max_retries: 0, -1 or a positive integer ('max_retries' only accepts 0, -1 or a positive integer)",
      "resources[0].steps[0].options.colour: no such field",
      "resources[0].steps[0].metadata.ok[1]: a JSON value (string, finite number, boolean, null, array or plain object)",
      "resources[0].steps[1].name: a name or a func (the step's function names it)",
      "events[0].resume: the id of a Ray workflow declared in this scenario",
      "events[1]: exactly one of restartCluster, resume, resumeAll, cancel (got restartCluster, cancel)",
    ]);
  });

  it("an unknown system, an id used twice across systems, and a Dyff event naming a Ray workflow are refused", () => {
    const found = problems({
      accounts: { alice: { tokens: ["t"] } },
      resources: [
        wf({ id: "x" }),
        { kind: "Model", id: "x", account: "alice" },
        { system: "slurm", id: "y" },
      ],
      events: [{ at: 1, terminate: "x" }],
    });
    expect(found).toContain(`resources[2].system: one of dyff (the default), ${otherSystems.join(", ")}`);
    expect(found).toContain("resources[1].id: an id not already used by resources[0]");
  });

  it("a Dyff event that names a Ray workflow is told which system it needs", () => {
    const found = problems({ resources: [wf()], events: [{ at: 1, terminate: "w1" }] });
    expect(found).toContain("events[0].system: ray: w1 is a ray resource");
  });

  it("every YAML example of the Run:ai and Ray sections of docs/scenarios.md decodes, runs and keeps every invariant", () => {
    const doc = readFileSync(new URL("../../../../../docs/scenarios.md", import.meta.url), "utf8");
    const ours = doc.slice(doc.indexOf("## Run:ai (`system: runai`)"));
    const blocks = [...ours.matchAll(/```yaml[^\n]*\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const [i, text] of blocks.entries()) {
      const s = parseScenario(text, `docs block ${i}`);
      if (s instanceof DecodeError) throw s;
      const r = runScenario(s);
      expect(
        r.invariants.filter((v) => !v.held),
        `block ${i}`,
      ).toEqual([]);
      expect(r.timeline.length).toBeGreaterThan(0);
    }
  });
});
