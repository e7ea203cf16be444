import { DecodeError } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { parseScenario } from "./load.js";
import { decodeScenario } from "./scenario.js";

const issueExample = `
seed: 7
accounts: { alice: { quota: { gpu: 1 }, tokens: [alice-token] } }
cluster: { nodes: [ { name: gpu-1, gpu: 8, cpu: 64, memoryGiB: 512 } ] }
resources:   # created in this order at \`at\` (default 0)
  - { kind: Model, id: m1, account: alice, takes: 30s }
  - { kind: InferenceService, id: svc1, account: alice, needs: [m1], takes: 1m }
  - { kind: Dataset, id: d1, account: alice, uploadedAt: 10s }
  - { kind: Evaluation, id: e1, account: alice, needs: [svc1, d1], gpu: 1, takes: 10m, at: 5s }
events:
  - { at: 3m, fail: e1, reason: InferenceFailed }   # also: terminate, delete, label
faults: { duplicate: 0.2, crashBeforeCommit: 0.05, reorder: true }
until: 2h
`;

/** The issues of a decode that must fail, as `path: expected` lines. */
function problems(result: unknown): string[] {
  expect(result).toBeInstanceOf(DecodeError);
  return (result as DecodeError).issues.map((i) => `${i.path}: ${i.expected}`);
}

describe("scenario files", () => {
  it("the issue's example decodes, with durations in milliseconds and defaults filled in", () => {
    const s = parseScenario(issueExample, "example.yaml");
    if (s instanceof DecodeError) throw s;
    expect(s.seed).toBe(7);
    expect(s.until).toBe(7_200_000);
    expect(s.accounts.alice).toEqual({
      quota: { gpu: 1 },
      tokens: [{ token: "alice-token", verbs: ["create", "terminate", "delete", "label", "get"] }],
    });
    expect(s.resources.map((r) => [r.id, r.at, r.takes, r.system])).toEqual([
      ["m1", 0, 30_000, "dyff"],
      ["svc1", 0, 60_000, "dyff"],
      ["d1", 0, undefined, "dyff"],
      ["e1", 5_000, 600_000, "dyff"],
    ]);
    expect(s.resources[2]!.uploadedAt).toBe(10_000);
    expect(s.events).toEqual([{ at: 180_000, fail: "e1", reason: "InferenceFailed" }]);
    expect(s.faults).toEqual({
      duplicate: 0.2,
      crashBeforeCommit: 0.05,
      reorder: true,
      informerLag: 0,
      staleReads: 0,
    });
  });

  it("JSON is read as well as YAML", () => {
    const s = parseScenario(JSON.stringify({ accounts: { a: { tokens: ["t"] } } }), "s.json");
    expect(s).not.toBeInstanceOf(DecodeError);
  });

  it("a syntax error names the file, the line and the column", () => {
    const e = parseScenario("accounts: {\n  alice: [", "broken.yaml");
    expect(e).toBeInstanceOf(DecodeError);
    expect((e as DecodeError).message).toMatch(
      /^broken\.yaml: 1 problem\n {2}\$: .*expected well-formed YAML or JSON at line \d+, column \d+/,
    );
  });

  it("every bad field is named with its path and what was expected, all at once", () => {
    const e = decodeScenario(
      {
        seed: -1,
        accounts: { alice: { tokens: ["t"], quota: { gpus: 1 } } },
        resources: [
          { kind: "Modle", id: "m1", account: "alice" },
          { kind: "Evaluation", id: "e1", account: "bob", takes: "soon", needs: ["m1"] },
        ],
        events: [{ at: "1m", fail: "e1", terminate: "e1" }],
        faults: { duplicate: 2 },
      },
      "bad.yaml",
    );
    const lines = problems(e);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^seed: /),
        "accounts.alice.quota.gpus: no such field",
        expect.stringMatching(/^resources\[0\]\.kind: one of Model, Dataset, InferenceService/),
        "resources[1].takes: a duration such as 30s, 1m, 2h or 1h30m (or a number of seconds)",
        "faults.duplicate: a probability from 0 to 0.9",
      ]),
    );
    expect((e as DecodeError).message.startsWith("bad.yaml: ")).toBe(true);
  });

  it("cross-field problems are reported at the field that is wrong", () => {
    const e = decodeScenario(
      {
        accounts: { alice: { tokens: ["t"] }, bob: { tokens: ["t"] } },
        cluster: { nodes: [{ name: "n" }, { name: "n" }] },
        resources: [
          { kind: "Model", id: "m1", account: "alice" },
          { kind: "Dataset", id: "d1", account: "alice", takes: "1m" },
          { kind: "Evaluation", id: "e1", account: "carol", needs: ["m1", "ghost"] },
          { kind: "Model", id: "m1", account: "alice", uploadedAt: "1s" },
        ],
        events: [
          { at: 0, fail: "e1", reason: "BuildFailed" },
          { at: 0, fail: "d1" },
          { at: 0, terminate: "nope" },
          { at: 0, label: "m1" },
          { at: 0, delete: "m1", reason: "Because" },
          { at: 0 },
        ],
      },
      "cross.yaml",
    );
    expect(problems(e)).toEqual(
      expect.arrayContaining([
        "accounts.bob.tokens[0]: a token not already given to account alice",
        "cluster.nodes[1].name: a node name used once",
        "resources[1].takes: no such field on a Dataset (it runs no work; use uploadedAt)",
        "resources[2].account: one of the accounts: alice, bob",
        "resources[2].needs[0]: an Evaluation needs InferenceService and Dataset (one of each); m1 is a Model",
        "resources[2].needs[1]: the id of a resource declared in this scenario",
        "resources[2].needs: an Evaluation needs InferenceService and Dataset: add the id of an InferenceService",
        "resources[3].id: an id not already used by resources[0]",
        "resources[3].uploadedAt: no such field: only a Dataset is uploaded",
        "events[0].reason: one of InferenceFailed, VerificationFailed (the work failures of an Evaluation)",
        "events[1].fail: a resource whose work can fail; a Dataset has none",
        "events[2].terminate: the id of a resource declared in this scenario",
        "events[3].labels: the labels to set (null removes one)",
        "events[4].reason: no reason on a delete (only fail carries one)",
        "events[5]: exactly one of fail, terminate, delete, label (got none)",
      ]),
    );
  });

  it("system defaults to dyff, and an unknown system is named with the ones there are", () => {
    const ok = decodeScenario(
      { accounts: { a: { tokens: ["t"] } }, resources: [{ kind: "Model", id: "m", account: "a" }] },
      "s",
    );
    if (ok instanceof DecodeError) throw ok;
    expect(ok.resources[0]!.system).toBe("dyff");
    const e = decodeScenario(
      {
        accounts: { a: { tokens: ["t"] } },
        resources: [{ kind: "Model", id: "m", account: "a", system: "slurm" }],
      },
      "s",
    );
    expect(problems(e)).toEqual([expect.stringMatching(/^resources\[0\]\.system: one of dyff\b/)]);
  });
});
