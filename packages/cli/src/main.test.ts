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

  it("--format mermaid prints one state diagram per kind", async () => {
    const { code, out } = await cli("spec", "--system", "dyff", "--format", "mermaid");
    expect(code).toBe(0);
    expect(out.match(/stateDiagram-v2/g)).toHaveLength(12);
    expect(out).toContain("Created --> Admitted: admit");
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
