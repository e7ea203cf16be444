import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildWallarooPackageZip, DecodeError } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../load.js";
import { runScenario } from "../../run.js";
import { readWallarooZips } from "./zips.js";

/** Orchestrations given as `zip: <path>`: read at load time, then checked by the package rules at upload. */

const scenarioText = (zip: string) => `resources:
  - { system: wallaroo, kind: Orchestration, id: o, zip: ${zip} }
  - { system: wallaroo, kind: Task, id: t, orchestration: o, type: once, at: 1m }
`;

function load(dir: string, zip: string) {
  const file = join(dir, "s.yaml");
  return readWallarooZips(parseScenario(scenarioText(zip), file), file, (p) => readFileSync(p));
}

describe("readWallarooZips", () => {
  it("reads a zip beside the scenario file; the upload is packaged and the task runs", () => {
    const dir = mkdtempSync(join(tmpdir(), "phasekit-zips-"));
    writeFileSync(join(dir, "good.zip"), buildWallarooPackageZip({ "main.py": "print('hi')" }));
    const scenario = load(dir, "good.zip");
    if (scenario instanceof DecodeError) throw scenario;
    const r = runScenario(scenario);
    expect(r.final.filter((f) => f.id === "o" || f.id === "t").map((f) => f.status)).toEqual([
      "ready",
      "success",
    ]);
  });

  it("refuses at upload a zip that breaks the package rules (no main.py): no orchestration, the task refused", () => {
    const dir = mkdtempSync(join(tmpdir(), "phasekit-zips-"));
    writeFileSync(join(dir, "bad.zip"), buildWallarooPackageZip({ "lib/x.py": "" }));
    const scenario = load(dir, "bad.zip");
    if (scenario instanceof DecodeError) throw scenario;
    const r = runScenario(scenario);
    expect(r.timeline).toEqual([]);
    const texts = r.notes.flatMap((n) => (n.type === "system" ? [n.text] : []));
    expect(texts[0]).toContain("upload refused: no main.py");
    expect(texts[1]).toContain("task refused: orchestration o was not uploaded");
  });

  it("names resources[i].zip when the file cannot be read", () => {
    const dir = mkdtempSync(join(tmpdir(), "phasekit-zips-"));
    const scenario = load(dir, "missing.zip");
    expect(scenario).toBeInstanceOf(DecodeError);
    expect((scenario as DecodeError).issues[0]).toMatchObject({
      path: "resources[0].zip",
      value: "missing.zip",
    });
    expect((scenario as DecodeError).issues[0]?.expected).toContain("no such file");
  });

  it("needs exactly one of files and zip", () => {
    const s = parseScenario(
      "resources:\n  - { system: wallaroo, kind: Orchestration, id: o, zip: a.zip, files: { main.py: '' } }\n",
      "s.yaml",
    );
    expect(s instanceof DecodeError && s.issues.map((i) => i.path)).toEqual(["resources[0].zip"]);
  });
});
