import { readFileSync } from "node:fs";
import {
  formatDuration,
  parseScenario,
  readWallarooZips,
  renderJsonl,
  renderText,
  runScenario,
} from "@phasekit/adapter-memory";
import { DecodeError } from "@phasekit/core";
import { exit, type Io, UsageError } from "../io.js";

export const simulateHelp = `phasekit simulate <file> [--format text|jsonl] [--seed N]

Runs a scenario file (YAML or JSON, see docs/scenarios.md) in the in-memory simulator: the Dyff
control plane over simulated logs, cluster and clock, with the scenario's faults injected. Prints
the status timeline as the query view saw it, the final statuses and the invariants checked.
  --format text   a readable timeline and a final table (default)
  --format jsonl  one JSON line per status change, then one summary line
  --seed N        overrides the scenario's seed (same seed, same output)
Exit code: 0 every invariant held, 1 one broke, 2 bad usage or a bad scenario file.`;

const formats = ["text", "jsonl"] as const;

/** How often, at most, the progress line on a terminal is redrawn (wall-clock milliseconds). */
const progressEveryMs = 100;

function readScenarioFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : String(code ?? error);
    throw new UsageError(`cannot read ${file}: ${why}`);
  }
}

function parseSeed(seed: string | undefined): number | undefined {
  if (seed === undefined) return undefined;
  const n = Number(seed);
  if (!/^\d+$/.test(seed) || n > 0xffffffff) {
    throw new UsageError(`--seed: got "${seed}", expected a whole number from 0 to ${0xffffffff}`);
  }
  return n;
}

/** A progress line on stderr, redrawn at most every {@link progressEveryMs}, only on a terminal. */
function progress(io: Io, file: string) {
  if (!io.interactive) return { update: undefined, done: () => {} };
  let last = Number.NEGATIVE_INFINITY; // the first instant is always shown
  let shown = false;
  return {
    update: (now: number, until: number | undefined) => {
      const wall = performance.now();
      if (wall - last < progressEveryMs) return;
      last = wall;
      shown = true;
      const of = until === undefined ? "" : ` of ${formatDuration(until)}`;
      io.err(`\rsimulating ${file}: ${formatDuration(now)}${of}\x1b[K`);
    },
    done: () => shown && io.err("\r\x1b[K"),
  };
}

/**
 * `phasekit simulate`: reads, checks and runs a scenario, prints its timeline, returns the exit code.
 *
 * @example
 * ```ts
 * const code = simulate({ file: "examples/quota-wait.yaml", format: "jsonl" }, processIo);
 * ```
 */
export function simulate(
  options: { file: string | undefined; format?: string | undefined; seed?: string | undefined },
  io: Io,
): number {
  const format = options.format ?? "text";
  if (!(formats as readonly string[]).includes(format)) {
    throw new UsageError(`--format: got "${format}", expected one of ${formats.join(", ")}`);
  }
  if (options.file === undefined) throw new UsageError("expected a scenario file: phasekit simulate <file>");
  const seed = parseSeed(options.seed);
  const scenario = readWallarooZips(
    parseScenario(readScenarioFile(options.file), options.file),
    options.file,
    (p) => readFileSync(p),
  );
  if (scenario instanceof DecodeError) {
    io.err(`phasekit simulate: ${scenario.message}\n`);
    return exit.usage;
  }
  const shown = progress(io, options.file);
  const result = runScenario(scenario, {
    ...(seed !== undefined && { seed }),
    ...(shown.update && { onProgress: shown.update }),
  });
  shown.done();
  io.out(format === "jsonl" ? renderJsonl(result) : renderText(result, options.file));
  return result.held ? exit.ok : exit.failed;
}
