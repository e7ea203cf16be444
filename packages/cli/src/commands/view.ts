import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import {
  type Note,
  renderJsonl,
  runScenario,
  type SimulationResult,
  simulationHistory,
  type TimelineEntry,
} from "@phasekit/adapter-memory";
import { DecodeError } from "@phasekit/core";
import type { Command } from "../command.js";
import { exit, type Io, inputName, UsageError } from "../io.js";
import { pageScript } from "../view/bundle.js";
import { runPage } from "../view/data.js";
import { historyLines } from "../view/history.js";
import { html } from "../view/page.js";
import { loadScenario, parseSeed } from "./simulate.js";

export const viewHelp = `phasekit view <file> [--out run.html] [--seed N] [--entity ID]

Runs a scenario file in the in-memory simulator, as \`phasekit simulate\` does, and writes one
self-contained HTML page of the run (docs/view.md): the timeline, one row per entity coloured by
its common phase, faults and commands as markers, a scrubber over simulated time, the state diagram
of the selected entity's kind with its state at that time, its history, and the invariants' verdicts.
The page opens from disk with no server and no network.
  --out F         where to write the page (default: the scenario's name with .html, in the
                  current directory; "-" writes it to standard output)
  --seed N        overrides the scenario's seed (same seed, same page)
  --entity ID     the entity selected when the page opens (its diagram and history shown)
Exit code: 0 every invariant held, 1 one broke (the page is written either way), 2 bad usage or a
bad scenario file.`;

/**
 * Every entity's history (`simulate --entity`'s model), keyed `system/kind/id`, in one pass over the
 * journal: each entity's history is made from its own entries (its records, the notes about it or,
 * for a Ray workflow, about its steps, and the run-wide system notes), so a large run costs what its
 * journal costs, not entities x journal.
 */
export function histories(result: Pick<SimulationResult, "timeline" | "journal">) {
  const own = new Map<string, (TimelineEntry | Note)[]>();
  const runWide: (TimelineEntry | Note)[] = [];
  const add = (id: string, e: TimelineEntry | Note) => {
    let list = own.get(id);
    if (!list) own.set(id, (list = []));
    list.push(e);
  };
  for (const e of result.journal) {
    if (!("type" in e)) add(e.id, e);
    else if ("id" in e) {
      if (e.id === "-") runWide.push(e);
      else {
        add(e.id, e);
        const slash = e.id.indexOf("/");
        if (slash > 0) add(e.id.slice(0, slash), e);
      }
    }
  }
  const out: Record<string, ReturnType<typeof historyLines>> = {};
  for (const first of result.timeline) {
    if (out[`${first.system}/${first.kind}/${first.id}`]) continue;
    const entries = own.get(first.id) ?? [];
    const journal = runWide.length === 0 ? entries : mergeByTime(entries, runWide);
    const timeline = entries.filter((e): e is TimelineEntry => !("type" in e));
    const h = simulationHistory({ timeline, journal }, first.id);
    if (!(h instanceof DecodeError)) out[`${h.system}/${h.kind}/${h.id}`] = historyLines(h);
  }
  return out;
}

/** Two journals' entries in time order, `a`'s first at equal times. */
function mergeByTime<T extends { readonly t: number }>(a: readonly T[], b: readonly T[]): T[] {
  return [...a, ...b]
    .map((e, i) => ({ e, i }))
    .sort((x, y) => x.e.t - y.e.t || x.i - y.i)
    .map(({ e }) => e);
}

/**
 * Writes a run's page for `jsonl` (the simulator's records) to `out` ("-": stdout); with the run's
 * result, each entity's history comes from the simulator's history model; `selected` is the id of
 * the entity the page opens on.
 *
 * @example
 * ```ts
 * await writeRunPage(renderJsonl(result), "quota-wait.yaml", "run.html", processIo, result);
 * ```
 */
export async function writeRunPage(
  jsonl: string,
  title: string,
  out: string,
  io: Io,
  result?: Pick<SimulationResult, "timeline" | "journal">,
  selected?: string,
): Promise<void> {
  const data = runPage(jsonl, title, { ...(result && { histories: histories(result) }), selected });
  const page = html(data, await pageScript());
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
  options: {
    file: string | undefined;
    out?: string | undefined;
    seed?: string | undefined;
    entity?: string | undefined;
  },
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
    result,
    options.entity,
  );
  return result.held ? exit.ok : exit.failed;
}

export const command: Command = {
  help: viewHelp,
  options: { out: { type: "string" }, seed: { type: "string" }, entity: { type: "string" } },
  run: (v, p, io) => {
    if (p.length !== 1) throw new UsageError(`expected one scenario file, got ${p.length}: ${p.join(" ")}`);
    const str = (k: string) => v[k] as string | undefined;
    return view({ file: p[0], out: str("out"), seed: str("seed"), entity: str("entity") }, io);
  },
};
