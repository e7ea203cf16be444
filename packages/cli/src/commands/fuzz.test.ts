import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Io } from "../io.js";
import { run } from "../main.js";
import { type FuzzCommandOptions, runFuzz } from "./fuzz.js";

const capture = (interactive = false) => {
  const io = { out: "", err: "" };
  const sink: Io = { out: (t) => void (io.out += t), err: (t) => void (io.err += t), interactive };
  return { io, sink };
};

async function cli(...argv: string[]) {
  const { io, sink } = capture();
  const code = await run(argv, sink);
  return { code, ...io };
}

const scratch = () => mkdtempSync(join(tmpdir(), "phasekit-fuzz-"));

describe("phasekit fuzz", () => {
  it("a bounded run with a fixed seed finds nothing on main: exit 0, the coverage of every machine of the systems asked for", async () => {
    const out = join(scratch(), "f.yaml");
    const {
      code,
      out: text,
      err,
    } = await cli("fuzz", "--runs", "25", "--seed", "9", "--systems", "ray,wallaroo", "--out", out);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(text).toMatch(
      /^phasekit fuzz: no invariant broke in 25 runs \(seed 9, systems ray, wallaroo\) in /,
    );
    expect(text).toMatch(/ray\/Workflow\s+\d+\/\d+\s+[\d.]+%/);
    expect(text).toMatch(/wallaroo\/TaskRun\s+\d+\/\d+/);
    expect(text).not.toContain("dyff/");
  });

  it("--format json: runs, failures, the coverage (taken, total, share, never) and no failure", async () => {
    const { code, out } = await cli(
      "fuzz",
      "--runs",
      "10",
      "--seed",
      "3",
      "--systems",
      "runai",
      "--format",
      "json",
    );
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ seed: 3, systems: ["runai"], runs: 10, failures: 0, failure: null });
    const training = report.coverage.find((c: { kind: string }) => c.kind === "TrainingJob");
    expect(training.total).toBeGreaterThan(0);
    expect(training.taken + training.never.length).toBe(training.total);
    expect(training.never[0]).toEqual({
      status: expect.any(String),
      reason: expect.toSatisfy((r: unknown) => r === null || typeof r === "string"),
      event: expect.any(String),
      eventReason: expect.toSatisfy((r: unknown) => r === null || typeof r === "string"),
    });
  });

  it("on a simulator with a rule broken on purpose: exit 1, the shrunk scenario written as YAML that `phasekit simulate` reads, with the seed and the invariant in a comment", async () => {
    const out = join(scratch(), "failure.yaml");
    const { io, sink } = capture();
    const options: FuzzCommandOptions = {
      runs: "200",
      seed: "1",
      systems: "dyff",
      out,
      mutation: "quota-slack",
    };
    expect(runFuzz(options, sink)).toBe(1);
    expect(io.out).toContain("broken: no quota was ever exceeded");
    expect(io.out).toContain(`reproduce: phasekit simulate ${out}`);
    const yaml = readFileSync(out, "utf8");
    expect(yaml).toMatch(/^# phasekit fuzz found .*\(fuzz seed 1, path [\d:]+, shrunk in \d+ steps\)/);
    expect(yaml).toContain("# broken: no quota was ever exceeded");
    // The real simulator reads it (exit 0: on main the quota holds); the broken one fails it.
    expect((await cli("simulate", out)).code).toBe(0);
  });

  it("--time stops generating once that much wall-clock time has passed, and says so", async () => {
    const { code, out } = await cli(
      "fuzz",
      "--runs",
      "1000000",
      "--time",
      "1ms",
      "--seed",
      "2",
      "--systems",
      "ray",
    );
    expect(code).toBe(0);
    expect(out).toMatch(
      /^phasekit fuzz: no invariant broke in \d+ runs .*; --time stopped it before 1000000\n/,
    );
  });

  it("a progress line (runs, failures, elapsed) on stderr only on a terminal", () => {
    const tty = capture(true);
    runFuzz({ runs: "3", seed: "1", systems: "ray" }, tty.sink);
    expect(tty.io.err).toMatch(/\rfuzz: \d+ runs, 0 failures, \d/);
    const pipe = capture(false);
    runFuzz({ runs: "3", seed: "1", systems: "ray" }, pipe.sink);
    expect(pipe.io.err).toBe("");
  });

  it("bad usage: exit 2 and a message naming the flag, the value and what was expected", async () => {
    const cases: [string[], string][] = [
      [["--runs", "0"], '--runs: got "0", expected a whole number from 1 to 1000000'],
      [["--runs", "ten"], '--runs: got "ten", expected a whole number from 1 to 1000000'],
      [["--seed", "-1"], "--seed needs a value (--seed <value>)"],
      [["--seed", "4294967296"], '--seed: got "4294967296", expected a whole number from 0 to 4294967295'],
      [["--time", "soon"], '--time: got "soon", expected a duration greater than 0 such as 30s, 5m or 1h'],
      [
        ["--systems", "dyff,k8s"],
        '--systems: got "k8s", expected a comma-separated list of dyff, runai, ray, wallaroo',
      ],
      [["--format", "yaml"], '--format: got "yaml", expected one of text, json'],
      [["scenario.yaml"], "takes no file, got scenario.yaml"],
    ];
    for (const [args, message] of cases) {
      const { code, err, out } = await cli("fuzz", ...args);
      expect(code).toBe(2);
      expect(err).toBe(`phasekit fuzz: ${message}\n`);
      expect(out).toBe("");
    }
  });
});
