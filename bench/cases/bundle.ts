import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import type { Figure } from "../report.js";

/**
 * What a browser bundle and a Node import of `@phasekit/core` cost, as a consumer gets it: the built
 * `dist` (run `pnpm build` first), resolved like a published package (no `@phasekit/source`).
 *
 * Bundle: esbuild `--bundle --minify --platform=browser --format=esm` of a one-line module that uses
 * one entry, then gzip -9; the same as
 * `echo 'import * as x from "@phasekit/core/dyff"; console.log(x)' | esbuild --bundle --minify --platform=browser`.
 * Goal: one system's lifecycles (its machines, compiled tables and schemas: `<system>System.lifecycles`)
 * at most 60 KB gzip. The whole entry (every helper too: Wallaroo's ZIP reader and writer, Run:ai's Pod
 * derivation) is reported beside it, without a goal.
 *
 * Import time: CPU and wall time around `await import("<entry>")` in a fresh Node process, median of
 * the rounds. CPU time is the figure to compare: wall time on a shared machine mostly measures the load.
 */
export interface BundleSize {
  readonly rounds: number;
}

const root = join(import.meta.dirname, "../..");
const coreDist = join(root, "packages/core/dist");

const entries: readonly { readonly name: string; readonly code: string; readonly goalKb?: number }[] = [
  { name: "@phasekit/core (everything)", code: 'import * as x from "@phasekit/core"; console.log(x);' },
  {
    name: "@phasekit/core { TransitionError }",
    code: 'import { TransitionError } from "@phasekit/core"; console.log(TransitionError);',
  },
  {
    name: "@phasekit/core/dyff",
    code: 'import * as x from "@phasekit/core/dyff"; console.log(x);',
  },
  {
    name: "@phasekit/core/runai",
    code: 'import * as x from "@phasekit/core/runai"; console.log(x);',
  },
  {
    name: "@phasekit/core/wallaroo",
    code: 'import * as x from "@phasekit/core/wallaroo"; console.log(x);',
  },
  {
    name: "@phasekit/core/ray",
    code: 'import * as x from "@phasekit/core/ray"; console.log(x);',
  },
  ...(["dyff", "runai", "wallaroo", "ray"] as const).map((system) => ({
    name: `@phasekit/core/${system}: its lifecycles`,
    code: `import { ${system}System } from "@phasekit/core/${system}"; console.log(${system}System.lifecycles);`,
    goalKb: 60,
  })),
];

async function bundled(code: string): Promise<{ min: number; gzip: number }> {
  const out = await build({
    stdin: { contents: code, resolveDir: root, loader: "js" },
    bundle: true,
    minify: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent",
  });
  const bytes = out.outputFiles[0]!.contents;
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** Import time of one entry in a fresh Node process, measured inside it around the `import()`. */
function importMs(entry: string): { wall: number; cpu: number } {
  const script = `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(entry)});
const u = process.cpuUsage(c); console.log(JSON.stringify({ wall: performance.now() - t, cpu: (u.user + u.system) / 1000 }));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: root,
    encoding: "utf8",
  });
  return JSON.parse(out) as { wall: number; cpu: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function bundleCase(size: BundleSize): Promise<Figure[]> {
  if (!existsSync(join(coreDist, "index.js"))) {
    throw new Error(`bench bundle: ${coreDist} is missing; run \`pnpm build\` first`);
  }
  const figures: Figure[] = [];
  for (const e of entries) {
    const { min, gzip } = await bundled(e.code);
    figures.push({
      case: "bundle",
      subject: e.name,
      metric: "browser bundle, KB gzip",
      value: min,
      unit: "B min",
      ratio: Math.round(gzip / 102.4) / 10,
      ratioUnit: "count",
      ...(e.goalKb === undefined ? {} : { goal: { op: "<=" as const, value: e.goalKb } }),
      note: `${(min / 1024).toFixed(1)} KB minified, ${(gzip / 1024).toFixed(1)} KB gzip`,
    });
  }
  for (const entry of [
    "@phasekit/core",
    ...["dyff", "runai", "wallaroo", "ray"].map((s) => `@phasekit/core/${s}`),
  ]) {
    const runs = Array.from({ length: size.rounds }, () => importMs(entry));
    const cpu = median(runs.map((r) => r.cpu));
    const wall = median(runs.map((r) => r.wall));
    figures.push({
      case: "bundle",
      subject: entry,
      metric: "node import, ms CPU",
      value: cpu,
      unit: "ms",
      ratio: Math.round(cpu),
      ratioUnit: "count",
      note: `median of ${size.rounds} fresh processes, measured around import(): ${cpu.toFixed(0)} ms CPU, ${wall.toFixed(0)} ms wall (wall depends on the machine's load)`,
    });
  }
  return figures;
}
