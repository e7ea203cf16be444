import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseScenario, readWallarooZips, runScenario, simulationHistory } from "@phasekit/adapter-memory";
import { DecodeError } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import type { Io } from "../io.js";
import { run } from "../main.js";
import { historyLines } from "../view/history.js";
import { histories } from "./view.js";

async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), interactive: false };
  const code = await run(argv, io);
  return { code, out, err };
}

const example = (name: string) => new URL(`../../../../examples/${name}.yaml`, import.meta.url).pathname;
const dataOf = (page: string) =>
  JSON.parse(page.match(/<script type="application\/json" id="phasekit-data">(.*?)<\/script>/s)![1]!);

describe("phasekit view, simulate --html, spec --format html", () => {
  it("view writes one page with the run's data and the page's script; exit 0 when every invariant held", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "phasekit-view-")), "run.html");
    const { code, err } = await cli("view", example("quota-wait"), "--out", out);
    expect(code).toBe(0);
    expect(err).toBe(`wrote ${out}\n`);
    const page = readFileSync(out, "utf8");
    expect(page.startsWith("<!doctype html>")).toBe(true);
    const data = dataOf(page);
    expect(data.mode).toBe("run");
    expect(data.entities.length).toBeGreaterThan(0);
    // The bundled script, inlined: it reads the data block.
    expect(page.slice(page.lastIndexOf("<script>")).includes('getElementById("phasekit-data")')).toBe(true);
  });

  it("simulate --html writes the same page view writes, and still prints the timeline", async () => {
    const dir = mkdtempSync(join(tmpdir(), "phasekit-view-"));
    const a = await cli(
      "simulate",
      example("dependency-chain"),
      "--html",
      join(dir, "a.html"),
      "--format",
      "jsonl",
    );
    expect(a.code).toBe(0);
    expect(a.out).toContain('"record":"summary"');
    await cli("view", example("dependency-chain"), "--out", join(dir, "b.html"));
    expect(readFileSync(join(dir, "a.html"), "utf8")).toBe(readFileSync(join(dir, "b.html"), "utf8"));
  });

  it("view --entity and simulate --entity --html: the page opens on that entity; simulate still prints its history", async () => {
    const dir = mkdtempSync(join(tmpdir(), "phasekit-view-"));
    const v = await cli("view", example("dependency-chain"), "--entity", "e1", "--out", join(dir, "v.html"));
    expect(v.code).toBe(0);
    expect(dataOf(readFileSync(join(dir, "v.html"), "utf8")).selected).toBe("e1");
    const s = await cli(
      "simulate",
      example("dependency-chain"),
      "--entity",
      "e1",
      "--html",
      join(dir, "s.html"),
    );
    expect(s.code).toBe(0);
    expect(s.out).toContain("e1");
    expect(readFileSync(join(dir, "s.html"), "utf8")).toBe(
      readFileSync(join(dir, "v.html"), "utf8").replace("v.html", "s.html"),
    );
  });

  it("spec --format html: every kind of the chosen systems", async () => {
    const { code, out } = await cli("spec", "--system", "ray", "--format", "html");
    expect(code).toBe(0);
    const data = dataOf(out);
    expect(data.mode).toBe("spec");
    expect(data.kinds.map((k: { kind: string }) => k.kind)).toEqual(["Workflow", "Step"]);
  });

  it("bad usage is a clear error with exit 2: no file, a bad seed, an unwritable --out, --html with --kafka", async () => {
    expect(await cli("view")).toMatchObject({
      code: 2,
      err: expect.stringContaining("expected one scenario file"),
    });
    const seed = await cli("view", example("quota-wait"), "--seed", "x");
    expect(seed).toMatchObject({ code: 2, err: expect.stringContaining('--seed: got "x"') });
    const out = await cli("view", example("quota-wait"), "--out", "/nonexistent-dir/run.html");
    expect(out).toMatchObject({
      code: 2,
      err: expect.stringContaining('--out: cannot write "/nonexistent-dir/run.html": ENOENT'),
    });
    const kafka = await cli("simulate", example("quota-wait"), "--html", "x.html", "--kafka", "127.0.0.1:1");
    expect(kafka).toMatchObject({
      code: 2,
      err: expect.stringContaining("--html goes with the in-memory run"),
    });
  });

  it.each(["fault-heavy", "ray-resume", "runai-outage", "wallaroo-tasks", "unauthorized"])(
    "%s: the page's histories, made in one pass, equal simulate --entity's history of each entity",
    (name) => {
      const file = example(name);
      const scenario = readWallarooZips(parseScenario(readFileSync(file, "utf8"), name), file, (p) =>
        readFileSync(p),
      );
      if (scenario instanceof DecodeError) throw scenario;
      const result = runScenario(scenario);
      const all = histories(result);
      const ids = new Set(result.timeline.map((e) => `${e.system}/${e.kind}/${e.id}`));
      expect(new Set(Object.keys(all))).toEqual(ids);
      for (const key of ids) {
        const h = simulationHistory(result, key.split("/").slice(2).join("/"));
        if (h instanceof DecodeError) throw h;
        expect(all[key], key).toEqual(historyLines(h));
      }
    },
  );
});
