import { catalog } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import type { Io } from "./io.js";
import { run } from "./main.js";

/** Runs the CLI in-process and captures what it prints. */
export async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), interactive: false };
  const code = await run(argv, io);
  return { code, out, err };
}

describe("phasekit spec", () => {
  it("--format json honours the public contract for every status of every kind", async () => {
    const { code, out } = await cli("spec", "--system", "dyff", "--format", "json");
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.systems).toHaveLength(1);
    const [dyff] = json.systems;
    expect(dyff.name).toBe("dyff");
    const evaluation = dyff.kinds.find((k: { name: string }) => k.name === "Evaluation");
    expect(evaluation).toMatchObject({ name: "Evaluation", family: "job", initial: "Created" });
    expect(evaluation.statuses[0]).toEqual({
      name: "Created",
      terminal: false,
      outcome: null,
      reasons: ["QuotaLimit", "UnsatisfiedDependency"],
      reasonRequired: false,
      description: expect.any(String),
      phase: "Pending",
      phaseRationale: expect.any(String),
    });
    expect(evaluation.transitions).toContainEqual({ from: "Created", to: "Admitted", event: "admit" });
    for (const kind of dyff.kinds) {
      for (const s of kind.statuses) {
        expect([null, "success", "failure", "early-termination", "deleted"]).toContain(s.outcome);
        expect(s.terminal).toBe(s.outcome !== null);
      }
    }
    expect(dyff.kinds.map((k: { name: string }) => k.name)).toEqual(
      catalog.system("dyff") && [
        "Evaluation",
        "Report",
        "Audit",
        "Measurement",
        "SafetyCase",
        "Model",
        "InferenceService",
        "Dataset",
        "DataSource",
        "Module",
        "Method",
        "InferenceSession",
      ],
    );
  });

  it("--system nope exits 2 and lists the systems", async () => {
    const { code, err } = await cli("spec", "--system", "nope");
    expect(code).toBe(2);
    expect(err).toContain(`--system: got "nope", expected one of ${catalog.systemNames.join(", ")}`);
  });

  it("--format mermaid prints one state diagram per kind, each line of Mermaid's state grammar", async () => {
    const { code, out } = await cli("spec", "--system", "dyff", "--format", "mermaid");
    expect(code).toBe(0);
    expect(out.match(/stateDiagram-v2/g)).toHaveLength(12);
    expect(out).toContain("Created --> Admitted: admit");
    const diagrams = out.trimEnd().split("\n\n");
    expect(diagrams).toHaveLength(12);
    for (const d of diagrams) {
      const [comment, head, ...body] = d.split("\n");
      expect(comment).toMatch(/^%% dyff\/[A-Za-z]+$/);
      expect(head).toBe("stateDiagram-v2");
      for (const line of body)
        expect(line).toMatch(
          /^ {2}(state "[^"]+" as \w+|\[\*\] --> \w+|\w+ --> \w+: [\w, ]+|classDef terminal stroke-width:3px|class [\w,]+ terminal)$/,
        );
    }
  });

  it("--kind picks one kind: exactly one diagram, nothing around it; an unknown kind is exit 2 with the kinds", async () => {
    const one = await cli("spec", "--kind", "Evaluation", "--format", "mermaid");
    expect(one.code).toBe(0);
    expect(one.out.startsWith("stateDiagram-v2\n")).toBe(true);
    expect(one.out.match(/stateDiagram-v2/g)).toHaveLength(1);
    const json = JSON.parse(
      (await cli("spec", "--system", "dyff", "--kind", "Report", "--format", "json")).out,
    );
    expect(json.systems[0].kinds.map((k: { name: string }) => k.name)).toEqual(["Report"]);
    const bad = await cli("spec", "--system", "dyff", "--kind", "Evaluaton");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--kind: got "Evaluaton", expected one of Evaluation, Report');
    expect(bad.err).toContain('Did you mean "Evaluation"?');
  });

  it("an unknown command or option exits 2 with a message, not a stack trace", async () => {
    expect(await cli("frobnicate")).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown command "frobnicate"'),
    });
    const bad = await cli("spec", "--colour", "red");
    expect(bad.code).toBe(2);
    expect(bad.err).not.toContain("    at ");
  });
});
