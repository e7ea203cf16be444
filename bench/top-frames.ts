import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): the frames with the most self time, as BENCHMARKS.md
 * quotes them. Usage: `tsx bench/top-frames.ts <file.cpuprofile | dir> [count]` (a directory: its newest
 * profile).
 */
interface Node {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly hitCount?: number;
}

interface Profile {
  readonly nodes: readonly Node[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export function topFrames(profile: Profile, count: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const f = byId.get(id)!.callFrame;
    const file = f.url.replace(/^.*\/(packages|bench|node_modules\/\.pnpm)\//, "$1/");
    const key = `${f.functionName || "(anonymous)"}  ${file}${f.url ? `:${f.lineNumber + 1}` : ""}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([k, us]) =>
        `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`,
    );
}

const [target = ".", count = "25"] = process.argv.slice(2);
const file = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((f) => f.endsWith(".cpuprofile"))
      .map((f) => join(target, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]!
  : target;
console.log(topFrames(JSON.parse(readFileSync(file, "utf8")) as Profile, Number(count)).join("\n"));
