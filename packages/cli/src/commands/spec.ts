import { catalog, markdown, mermaid, type SystemDefinition, specJson } from "@phasekit/core";
import { exit, type Io, UsageError } from "../io.js";

export const specHelp = `phasekit spec [--system S] [--format md|json|mermaid]

Prints the lifecycle reference generated from the machines: status tables, reasons, transitions
and diagrams. Without --system, every system. The JSON is a public contract.`;

const formats = ["md", "json", "mermaid"] as const;

export function spec(options: { system?: string | undefined; format?: string | undefined }, io: Io): number {
  const format = options.format ?? "md";
  if (!(formats as readonly string[]).includes(format)) {
    throw new UsageError(`--format: got "${format}", expected one of ${formats.join(", ")}`);
  }
  let systems: readonly SystemDefinition[] = catalog.systems;
  if (options.system !== undefined) {
    const found = catalog.system(options.system);
    if (!("lifecycles" in found)) {
      throw new UsageError(
        `--system: got "${options.system}", expected one of ${catalog.systemNames.join(", ")}`,
      );
    }
    systems = [found];
  }
  if (format === "json") io.out(`${JSON.stringify(specJson(systems), null, 2)}\n`);
  else if (format === "md") io.out(systems.map(markdown).join("\n"));
  else {
    for (const s of systems)
      for (const lc of s.lifecycles) io.out(`%% ${s.name}/${lc.kind}\n${mermaid(lc)}\n\n`);
  }
  return exit.ok;
}
