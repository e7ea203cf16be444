import { readFileSync } from "node:fs";
import { parseScenario, renderJsonl, runScenario } from "@phasekit/adapter-memory";
import { catalog, DecodeError, phases } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { kindView, runPage, specPage } from "./data.js";
import { html } from "./page.js";
import { styles } from "./styles.js";

const example = (name: string) => new URL(`../../../../examples/${name}.yaml`, import.meta.url).pathname;

function jsonlOf(name: string): string {
  const scenario = parseScenario(readFileSync(example(name), "utf8"), name);
  if (scenario instanceof DecodeError) throw scenario;
  return renderJsonl(runScenario(scenario));
}

describe("the page's data", () => {
  it("one entity per (system, kind, id) of the status records, with its changes in order, grouped by system and kind", () => {
    const jsonl = jsonlOf("runai-preemption");
    const records = jsonl
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .filter((r) => r.record === "status");
    const page = runPage(jsonl, "runai-preemption.yaml");
    const ids = new Set(records.map((r) => `${r.system}/${r.kind}/${r.id}`));
    expect(page.entities.map((e) => `${e.system}/${e.kind}/${e.id}`).sort()).toEqual([...ids].sort());
    for (const e of page.entities) {
      const mine = records.filter((r) => r.id === e.id && r.kind === e.kind);
      expect(e.changes).toEqual(mine.map((r) => [r.t, r.status, r.reason]));
    }
    const groups = page.entities.map((e) => `${e.system}/${e.kind}`);
    const firsts = groups.filter((g, i) => groups.indexOf(g) === i);
    expect(groups).toEqual(firsts.flatMap((g) => groups.filter((x) => x === g)));
    expect(page.kinds.map((k) => `${k.system}/${k.kind}`).sort()).toEqual([...new Set(groups)].sort());
    expect(page.verdicts.length).toBeGreaterThan(0);
    expect(page.held).toBe(true);
  });

  it("notes become markers: commands, refusals and injected failures on their entity's row", () => {
    const page = runPage(jsonlOf("unauthorized"), "unauthorized.yaml");
    expect(page.markers.some((m) => m.type === "refused" && /Unauthorized/.test(m.text))).toBe(true);
    const failing = runPage(jsonlOf("inference-fails"), "inference-fails.yaml");
    expect(failing.markers.some((m) => m.type === "fail" && m.id !== null)).toBe(true);
  });

  it("a kind's edges carry every event of its transitions, and each reason says which events set it", () => {
    const evaluation = specPage(catalog.systems).kinds.find(
      (k) => k.system === "dyff" && k.kind === "Evaluation",
    )!;
    expect(evaluation.edges.find((e) => e.from === "Created" && e.to === "Admitted")?.events).toEqual([
      "admit",
    ]);
    const failed = evaluation.statuses.find((s) => s.name === "Failed")!;
    expect(failed.reasons.find((r) => r.name === "InferenceFailed")?.meaning).toMatch(
      /^set by fail\(InferenceFailed\)/,
    );
    expect(kindView).toBeTypeOf("function");
  });

  it("a system's own columns travel with each status (applicability), and its choices and differences with the system", () => {
    const page = specPage(catalog.systems);
    const training = page.kinds.find((k) => k.system === "runai" && k.kind === "TrainingJob")!;
    expect(training.statuses.find((s) => s.name === "Running")?.columns).toEqual({
      resourcesAllocated: "yes",
      source: "seed",
    });
    expect(training.statuses.find((s) => s.name === "Pending")?.columns).toEqual({
      resourcesAllocated: "no",
      source: "seed",
    });
    const evaluation = page.kinds.find((k) => k.kind === "Evaluation")!;
    expect(evaluation.statuses.every((s) => Object.keys(s.columns).length === 0)).toBe(true);
    expect(page.systems.find((s) => s.name === "runai")?.choices.length).toBeGreaterThan(0);
  });

  it("the HTML is one file: no external script, style, image or link, and the data cannot close its script element", () => {
    const page = runPage(jsonlOf("quota-wait"), "</script><script>alert(1)</script>");
    const text = html(page, "/* script */");
    expect(text).not.toMatch(/<script[^>]+src=|<link|<img|@import|url\(http/i);
    expect(text.match(/<\/script>/g)?.length).toBe(2);
    expect(text).toContain("<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>");
  });

  it("every common phase has a legend entry, a bar style with a pattern or a fill of its own, and a diagram fill; every status's phase is one of them", () => {
    const page = specPage(catalog.systems);
    expect(page.phases.map((p) => p.name)).toEqual([...phases]);
    for (const p of phases) {
      expect(styles).toMatch(new RegExp(`\\.ph-${p}\\{background:#[0-9a-f]{6}`));
      expect(styles).toContain(`.diagram .ph-${p} .box{fill:`);
    }
    const fills = phases.map((p) => styles.match(new RegExp(`\\.ph-${p}\\{background:([^}]*)\\}`))![1]);
    expect(new Set(fills).size, "no two phases look alike").toBe(phases.length);
    for (const k of page.kinds) for (const st of k.statuses) expect(phases).toContain(st.phase);
  });
});
