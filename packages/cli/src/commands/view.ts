import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { renderJsonl, runScenario } from "@phasekit/adapter-memory";
import type { Command } from "../command.js";
import { exit, type Io, inputName, UsageError } from "../io.js";
import { pageScript } from "../view/bundle.js";
import { runPage } from "../view/data.js";
import { html } from "../view/page.js";
import { loadScenario, parseSeed } from "./simulate.js";

export const viewHelp = `phasekit view <file> [--out run.html] [--seed N]

Runs a scenario file in the in-memory simulator, as \`phasekit simulate\` does, and writes one
self-contained HTML page of the run (docs/view.md): the timeline, one row per entity coloured by
its common phase, faults and commands as markers, a scrubber over simulated time, the state diagram
of the selected entity's kind with its state at that time, its history, and the invariants' verdicts.
The page opens from disk with no server and no network.
  --out F         where to write the page (default: the scenario's name with .html, in the
                  current directory; "-" writes it to standard output)
  --seed N        overrides the scenario's seed (same seed, same page)
Exit code: 0 every invariant held, 1 one broke (the page is written either way), 2 bad usage or a
bad scenario file.`;

/**
 * Writes a run's page for `jsonl` (the simulator's records) to `out` ("-": stdout).
 *
 * @example
 * ```ts
 * await writeRunPage(renderJsonl(result), "quota-wait.yaml", "run.html", processIo);
 * ```
 */
export async function writeRunPage(jsonl: string, title: string, out: string, io: Io): Promise<void> {
  const page = html(runPage(jsonl, title), await pageScript());
  if (out === "-") io.out(page);
  else {
    try {
      writeFileSync(out, page);
    } catch (error) {
      throw new UsageError(
        `--out: cannot write "${out}": ${(error as { code?: string }).code ?? String(error)}`,
      );
    }
    io.err(`wrote ${out}\n`);
  }
}

/** The default page file of a scenario: `quota-wait.yaml` -> `quota-wait.html`. */
export const defaultOut = (file: string) =>
  file === "-" ? "run.html" : `${basename(file).replace(/\.(ya?ml|json)$/i, "")}.html`;

/**
 * `phasekit view`: runs a scenario and writes its page; returns the exit code.
 *
 * @example
 * ```ts
 * const code = await view({ file: "examples/quota-wait.yaml", out: "run.html" }, processIo);
 * ```
 */
export async function view(
  options: { file: string | undefined; out?: string | undefined; seed?: string | undefined },
  io: Io,
): Promise<number> {
  if (options.file === undefined) throw new UsageError("expected a scenario file: phasekit view <file>");
  const seed = parseSeed(options.seed);
  const scenario = loadScenario(options.file, io);
  if (typeof scenario === "string") {
    io.err(`phasekit view: ${scenario}\n`);
    return exit.usage;
  }
  const result = runScenario(scenario, seed !== undefined ? { seed } : {});
  await writeRunPage(
    renderJsonl(result),
    inputName(options.file),
    options.out ?? defaultOut(options.file),
    io,
  );
  return result.held ? exit.ok : exit.failed;
}

export const command: Command = {
  help: viewHelp,
  options: { out: { type: "string" }, seed: { type: "string" } },
  run: (v, p, io) => {
    if (p.length !== 1) throw new UsageError(`expected one scenario file, got ${p.length}: ${p.join(" ")}`);
    return view({ file: p[0], out: v.out as string | undefined, seed: v.seed as string | undefined }, io);
  },
};
