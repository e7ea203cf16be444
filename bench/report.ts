import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";

/** A target for a ratio: `>=` for "at least", `<=` for "at most". */
export interface Goal {
  readonly op: ">=" | "<=";
  readonly value: number;
}

/** One line of the results table. */
export interface Figure {
  /** Which case measured it (`step`, `replay`, `ingest`, `dedupe`). */
  readonly case: string;
  /** The machine or message it ran on, e.g. `dyff/Evaluation`. */
  readonly subject: string;
  /** What the ratio compares, e.g. `hand reducer / compiled step`. */
  readonly metric: string;
  /** The measured side (for example the compiled step's events/s), and its unit. */
  readonly value: number;
  readonly unit: string;
  /** The baseline from the same run, in the same unit. */
  readonly baseline?: { readonly name: string; readonly value: number };
  /** The figure the goal applies to (a throughput share, a slowdown, a count of mismatches). */
  readonly ratio: number;
  readonly ratioUnit: "x" | "%" | "count";
  readonly goal?: Goal;
  /** How many rounds the medians are over, and anything else a reader needs. */
  readonly note?: string;
}

/** `met`, `missed` (short of the goal), or `regressed` (worse than half the goal: quick mode fails). */
export type Verdict = "met" | "missed" | "regressed" | "info";

export function verdict(f: Figure): Verdict {
  const g = f.goal;
  if (!g) return "info";
  if (g.op === ">=") return f.ratio >= g.value ? "met" : f.ratio >= g.value / 2 ? "missed" : "regressed";
  return f.ratio <= g.value ? "met" : f.ratio <= g.value * 2 ? "missed" : "regressed";
}

const si = (n: number): string => {
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(a >= 100 ? 0 : 1);
};

const showRatio = (x: number, unit: Figure["ratioUnit"]) =>
  unit === "%" ? `${(x * 100).toFixed(1)}%` : unit === "x" ? `${x.toFixed(2)}x` : String(x);

const showGoal = (f: Figure) => (f.goal ? `${f.goal.op} ${showRatio(f.goal.value, f.ratioUnit)}` : "");

/** The results as a fixed-width text table. */
export function table(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.case,
    f.subject,
    f.metric,
    `${si(f.value)} ${f.unit}`,
    f.baseline ? `${si(f.baseline.value)} ${f.unit} (${f.baseline.name})` : "",
    showRatio(f.ratio, f.ratioUnit),
    showGoal(f),
    verdict(f),
  ]);
  const head = ["case", "subject", "metric", "measured", "baseline", "ratio", "goal", "verdict"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Where and how the figures were measured. */
export function machine() {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    /** Other work on the machine skews absolute figures; the ratios are paired per round. */
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
  };
}

/** Writes `results/<timestamp>.json` and `results/latest.json` (both gitignored). */
export function writeResults(dir: string, body: object, at: Date): string {
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify(body, null, 2)}\n`;
  const file = join(dir, `${at.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, text);
  writeFileSync(join(dir, "latest.json"), text);
  return file;
}
