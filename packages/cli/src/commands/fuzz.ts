import { writeFileSync } from "node:fs";
import { formatDuration, parseDuration, type SimulatorMutation } from "@phasekit/adapter-memory";
import {
  type FuzzReport,
  type FuzzSystem,
  failureYaml,
  fuzz,
  fuzzSystems,
  type MachineCoverage,
} from "@phasekit/adapter-memory/fuzz";
import type { Command } from "../command.js";
import { exit, type Io, UsageError } from "../io.js";

export const fuzzHelp = `phasekit fuzz [--runs N] [--seed S] [--time D] [--systems S,...] [--out FILE] [--format text|json]

Generates random scenarios (docs/fuzz.md) for Dyff, Run:ai, Ray and Wallaroo: accounts, quotas,
dependencies, commands and their timing, projects and preemption, queues and resumes, schedules,
and every fault the simulator injects. Runs each in the simulator with every invariant checked.
The first scenario that breaks one is shrunk to the smallest that still breaks it and written as a
YAML file that \`phasekit simulate\` reproduces (the seed and the broken invariant in a comment).
At the end, the transition coverage of each machine: the share of its transitions (status and
reason x event) the runs took, and those never taken.
  --runs N        scenarios to generate (default 100)
  --seed S        the generator's seed, 0 to 4294967295 (default: drawn, and printed)
  --time D        stop generating after this wall-clock duration (30s, 5m, 1h)
  --systems S,..  only these systems: ${fuzzSystems.join(", ")} (default all)
  --out FILE      where to write the failing scenario (default fuzz-failure-<seed>.yaml)
  --format text   a summary and the coverage (default); --format json: one JSON report
A progress line (runs, failures, elapsed) is drawn on stderr when it is a terminal.
Exit code: 0 no invariant broke, 1 one broke (the file is written), 2 bad usage.`;

const formats = ["text", "json"] as const;

function wholeNumber(flag: string, value: string | undefined, min: number, max: number, fallback: number) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`${flag}: got "${value}", expected a whole number from ${min} to ${max}`);
  return n;
}

function parseSystems(value: string | undefined): FuzzSystem[] {
  if (value === undefined) return [...fuzzSystems];
  const names = value.split(",").map((s) => s.trim());
  for (const name of names)
    if (!(fuzzSystems as readonly string[]).includes(name))
      throw new UsageError(
        `--systems: got "${name}", expected a comma-separated list of ${fuzzSystems.join(", ")}`,
      );
  return [...new Set(names as FuzzSystem[])];
}

function parseTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined || ms === 0)
    throw new UsageError(`--time: got "${value}", expected a duration greater than 0 such as 30s, 5m or 1h`);
  return ms;
}

const percent = (share: number) => `${Math.floor(share * 1000) / 10}%`;
const leaf = (status: string, reason: string | null) => (reason === null ? status : `${status}/${reason}`);

/** The coverage table of the text output: one line per machine, then the transitions never taken. */
export function coverageText(coverage: readonly MachineCoverage[]): string {
  const width = Math.max(...coverage.map((c) => `${c.system}/${c.kind}`.length));
  const lines = ["coverage (transitions taken, status/reason x event):"];
  for (const c of coverage) {
    lines.push(
      `  ${`${c.system}/${c.kind}`.padEnd(width)}  ${`${c.taken}/${c.total}`.padStart(7)}  ${percent(c.share)}`,
    );
    const byLeaf = new Map<string, string[]>();
    for (const t of c.never) {
      const from = leaf(t.status, t.reason);
      const events = byLeaf.get(from) ?? [];
      events.push(t.eventReason === null ? t.event : `${t.event}(${t.eventReason})`);
      byLeaf.set(from, events);
    }
    for (const [from, events] of byLeaf) lines.push(`      never from ${from}: ${events.join(", ")}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The progress line on stderr, redrawn at most every 100 ms, only on a terminal. */
function progress(io: Io, started: number) {
  if (!io.interactive) return { update: undefined, done: () => {} };
  let last = Number.NEGATIVE_INFINITY;
  let shown = false;
  return {
    update: (p: { runs: number; failures: number; shrinks: number }) => {
      const wall = performance.now();
      if (wall - last < 100) return;
      last = wall;
      shown = true;
      const shrinking = p.failures > 0 ? `, shrinking (${p.shrinks} steps)` : "";
      io.err(
        `\rfuzz: ${p.runs} runs, ${p.failures} failures, ${formatDuration(Math.round(wall - started))}${shrinking}\x1b[K`,
      );
    },
    done: () => shown && io.err("\r\x1b[K"),
  };
}

export interface FuzzCommandOptions {
  readonly runs?: string | undefined;
  readonly seed?: string | undefined;
  readonly time?: string | undefined;
  readonly systems?: string | undefined;
  readonly out?: string | undefined;
  readonly format?: string | undefined;
  /** A rule broken on purpose in the simulator: for the command's tests only, never a flag. */
  readonly mutation?: SimulatorMutation | undefined;
}

/**
 * `phasekit fuzz`: checks the flags, fuzzes, writes the failing scenario, prints the report and
 * returns the exit code.
 *
 * @example
 * ```ts
 * const code = runFuzz({ runs: "50", seed: "7", systems: "dyff" }, processIo);
 * ```
 */
export function runFuzz(options: FuzzCommandOptions, io: Io): number {
  const format = options.format ?? "text";
  if (!(formats as readonly string[]).includes(format))
    throw new UsageError(`--format: got "${format}", expected one of ${formats.join(", ")}`);
  const runs = wholeNumber("--runs", options.runs, 1, 1_000_000, 100);
  const seed = wholeNumber("--seed", options.seed, 0, 0xffffffff, Math.floor(Math.random() * 0x80000000));
  const timeLimitMs = parseTime(options.time);
  const systems = parseSystems(options.systems);
  const out = options.out ?? `fuzz-failure-${seed}.yaml`;
  const started = performance.now();
  const shown = progress(io, started);
  const report: FuzzReport = fuzz({
    runs,
    seed,
    systems,
    ...(timeLimitMs !== undefined && { timeLimitMs }),
    ...(options.mutation !== undefined && { mutation: options.mutation }),
    ...(shown.update && { onRun: shown.update }),
  });
  shown.done();
  const elapsed = Math.round(performance.now() - started);
  if (report.failure) writeFileSync(out, failureYaml(report.failure, seed, out));
  if (format === "json") {
    const { failure, ...rest } = report;
    const json = {
      ...rest,
      elapsedMs: elapsed,
      failure: failure && {
        invariant: failure.invariant.name,
        detail: failure.invariant.detail,
        file: out,
        shrinks: failure.shrinks,
        path: failure.path,
        scenario: failure.scenario,
      },
    };
    io.out(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    const what = `${report.runs} runs (seed ${seed}, systems ${systems.join(", ")}) in ${formatDuration(elapsed)}`;
    const stopped = report.interrupted ? `; --time stopped it before ${runs}` : "";
    if (report.failure) {
      const f = report.failure;
      io.out(
        `phasekit fuzz: an invariant broke after ${what}\n  broken: ${f.invariant.name}\n  detail: ${f.invariant.detail ?? "(none)"}\n  shrunk in ${f.shrinks} steps to ${f.scenario.resources.length} resources and ${f.scenario.events.length} events: ${out}\n  reproduce: phasekit simulate ${out}\n`,
      );
    } else io.out(`phasekit fuzz: no invariant broke in ${what}${stopped}\n`);
    io.out(coverageText(report.coverage));
  }
  return report.failure ? exit.failed : exit.ok;
}

export const command: Command = {
  help: fuzzHelp,
  options: {
    runs: { type: "string" },
    seed: { type: "string" },
    time: { type: "string" },
    systems: { type: "string" },
    out: { type: "string" },
    format: { type: "string" },
  },
  run: (v, p, io) => {
    if (p.length > 0) throw new UsageError(`takes no file, got ${p.join(" ")}`);
    const [runs, seed, time, systems, out, format] = [v.runs, v.seed, v.time, v.systems, v.out, v.format] as (
      | string
      | undefined
    )[];
    return runFuzz({ runs, seed, time, systems, out, format }, io);
  },
};
