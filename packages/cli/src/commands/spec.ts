import { catalog, markdown, mermaid, type SystemDefinition, specJson } from "@phasekit/core";
import type { Command } from "../command.js";
import { exit, type Io, UsageError } from "../io.js";
import { didYouMean } from "../suggest.js";

export const specHelp = `phasekit spec [--system S] [--kind K] [--format md|json|mermaid|html]

Prints the lifecycle reference generated from the machines: status tables, reasons, transitions
and diagrams. Without --system, every system; without --kind, every kind.
  --system S        one system: ${catalog.systemNames.join(", ")}
  --kind K          one kind (e.g. Evaluation); with --format mermaid, exactly one diagram; a kind of
                    several systems without --system is the first one's (dyff before dyff-released)
  --format md       Markdown tables (default)
  --format json     the public contract: {"$schema", "version": 1, "systems": [...]}
  --format mermaid  one Mermaid stateDiagram-v2 per kind, each after a "%% system/Kind" line
  --format html     one self-contained HTML page (docs/view.md): every system and kind, its
                    diagram, statuses and reasons with their meanings, phases, terminal sets`;

const formats = ["md", "json", "mermaid", "html"] as const;

export interface SpecOptions {
  readonly system?: string | undefined;
  readonly kind?: string | undefined;
  readonly format?: string | undefined;
}

/** The systems asked for, each keeping only the kind asked for (a UsageError when there is none). */
function select(options: SpecOptions): SystemDefinition[] {
  let systems: SystemDefinition[] = [...catalog.systems];
  if (options.system !== undefined) {
    const found = catalog.system(options.system);
    if (!("lifecycles" in found)) {
      throw new UsageError(
        `--system: got "${options.system}", expected one of ${catalog.systemNames.join(", ")}.${didYouMean(options.system, catalog.systemNames)}`,
      );
    }
    systems = [found];
  }
  const kind = options.kind;
  if (kind === undefined) return systems;
  const kept = systems
    .map((s) => ({ ...s, lifecycles: s.lifecycles.filter((lc) => lc.kind === kind) }))
    .filter((s) => s.lifecycles.length > 0);
  if (kept.length === 0) {
    const kinds = [...new Set(systems.flatMap((s) => s.lifecycles.map((lc) => lc.kind)))];
    throw new UsageError(
      `--kind: got "${kind}", expected one of ${kinds.join(", ")}${options.system ? ` (the kinds of ${options.system})` : ""}.${didYouMean(kind, kinds)}`,
    );
  }
  // A kind in several systems (dyff's Evaluation, and dyff-released's): without --system, the first,
  // the default vocabulary's.
  return options.system === undefined ? kept.slice(0, 1) : kept;
}

/**
 * `phasekit spec`: the reference of the chosen systems and kinds in the chosen format.
 *
 * @example
 * ```ts
 * spec({ system: "dyff", kind: "Evaluation", format: "mermaid" }, processIo); // one diagram
 * ```
 */
export async function spec(options: SpecOptions, io: Io): Promise<number> {
  const format = options.format ?? "md";
  if (!(formats as readonly string[]).includes(format)) {
    throw new UsageError(`--format: got "${format}", expected one of ${formats.join(", ")}`);
  }
  const systems = select(options);
  if (format === "html") {
    // The page loads only when it is asked for.
    const [{ pageScript }, { specPage }, { html }] = await Promise.all([
      import("../view/bundle.js"),
      import("../view/data.js"),
      import("../view/page.js"),
    ]);
    io.out(html(specPage(systems), await pageScript()));
  } else if (format === "json") io.out(`${JSON.stringify(specJson(systems), null, 2)}\n`);
  else if (format === "md") io.out(systems.map(markdown).join("\n"));
  else {
    const diagrams = systems.flatMap((s) => s.lifecycles.map((lc) => ({ s, lc })));
    // One kind: the diagram alone, a file Mermaid reads as it is; several: each after its name.
    if (diagrams.length === 1) io.out(`${mermaid(diagrams[0]!.lc)}\n`);
    else for (const { s, lc } of diagrams) io.out(`%% ${s.name}/${lc.kind}\n${mermaid(lc)}\n\n`);
  }
  return exit.ok;
}

export const command: Command = {
  help: specHelp,
  options: { system: { type: "string" }, kind: { type: "string" }, format: { type: "string" } },
  run: (v, p, io) => {
    if (p.length > 0) throw new UsageError(`spec takes no file, got ${p.join(" ")}`);
    const str = (k: string) => v[k] as string | undefined;
    return spec({ system: str("system"), kind: str("kind"), format: str("format") }, io);
  },
};
