import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { median } from "../harness.js";
import type { Figure } from "../report.js";

/**
 * `phasekit --help` as a user runs it (issue 16): the built CLI (`packages/cli/dist/bin.js`) in a
 * child process, against `node -e 0` in the same run, interleaved, `rounds` times each. Both are
 * started with the same preload, which reports the child's CPU time and peak RSS at exit; the wall
 * time is measured around the spawn. Goals (ratios to `node -e 0`, so they hold across machines):
 * wall and CPU within 3x, peak RSS within 1.8x: about 0.3 s and 80 MB where `node -e 0` takes 0.1 s
 * and 45 MB. The figure is about loading: `--help` must import neither core nor the Kafka client.
 */
export interface CliStartupSize {
  readonly rounds: number;
}

const bin = fileURLToPath(new URL("../../packages/cli/dist/bin.js", import.meta.url));
const preload = fileURLToPath(new URL("./child-usage.cjs", import.meta.url));

interface Run {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssKiB: number;
}

function once(args: readonly string[]): Run {
  const t0 = performance.now();
  const child = spawnSync(process.execPath, ["--require", preload, ...args], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  const wallMs = performance.now() - t0;
  if (child.status !== 0)
    throw new Error(`bench cli-startup: node ${args.join(" ")} exited ${child.status}: ${child.stderr}`);
  const usage = JSON.parse(String(child.output[3]).trim()) as { cpuMs: number; maxRssKiB: number };
  return { wallMs, ...usage };
}

export function cliStartupCase(size: CliStartupSize): Figure[] {
  if (!existsSync(bin)) {
    console.error("bench: cli-startup skipped: packages/cli/dist/bin.js is missing (run `pnpm build` first)");
    return [];
  }
  const help: Run[] = [];
  const bare: Run[] = [];
  once([bin, "--help"]); // warm the file cache
  once(["-e", "0"]);
  for (let r = 0; r < size.rounds; r++) {
    // Interleaved, each round starting with the other contender, so load drifts hit both alike.
    if (r % 2 === 0) {
      help.push(once([bin, "--help"]));
      bare.push(once(["-e", "0"]));
    } else {
      bare.push(once(["-e", "0"]));
      help.push(once([bin, "--help"]));
    }
  }
  const m = (runs: Run[], k: keyof Run) => median(runs.map((x) => x[k]));
  const note = `median of ${size.rounds} child processes each; command: node packages/cli/dist/bin.js --help`;
  const figure = (metric: string, k: keyof Run, unit: string, goal: number): Figure => ({
    case: "cli-startup",
    subject: "phasekit --help",
    metric,
    value: m(help, k),
    unit,
    baseline: { name: "node -e 0", value: m(bare, k) },
    ratio: m(help, k) / m(bare, k),
    ratioUnit: "x",
    goal: { op: "<=", value: goal },
    note,
  });
  return [
    figure("wall time / node -e 0", "wallMs", "ms", 3),
    figure("CPU time / node -e 0", "cpuMs", "ms", 3),
    figure("peak RSS / node -e 0", "maxRssKiB", "KiB", 1.8),
  ];
}
