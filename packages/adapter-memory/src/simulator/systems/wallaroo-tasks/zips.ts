import { DecodeError } from "@phasekit/core";
import type { SystemsScenario } from "../scenario.js";

/**
 * Reads the ZIPs that a scenario's orchestrations name with `zip` (paths relative to the scenario
 * file), at load time, in the CLI layer: the engine itself never touches the file system.
 *
 * @module
 */

/**
 * The scenario with each `zip` orchestration's bytes read through `read` (a path resolved against
 * the scenario file's directory), or a {@link DecodeError} naming `resources[i].zip` for each file
 * that cannot be read. A decode error passes through unchanged.
 *
 * @example
 * ```ts
 * const scenario = readWallarooZips(parseScenario(text, file), file, (p) => readFileSync(p));
 * ```
 */
export function readWallarooZips<S extends { readonly systems?: SystemsScenario }>(
  scenario: S | DecodeError,
  scenarioFile: string,
  read: (path: string) => Uint8Array,
): S | DecodeError {
  const part = scenario instanceof DecodeError ? null : scenario.systems?.wallarooTasks;
  if (scenario instanceof DecodeError || !part || Object.keys(part.zipPaths).length === 0) return scenario;
  const dir = scenarioFile.includes("/") ? scenarioFile.slice(0, scenarioFile.lastIndexOf("/") + 1) : "";
  const issues: { path: string; value: unknown; expected: string }[] = [];
  const orchestrations = part.orchestrations.map((o) => {
    if (o.zip === undefined) return o;
    const path = o.zip.startsWith("/") ? o.zip : `${dir}${o.zip}`;
    try {
      return { ...o, bytes: read(path) };
    } catch (error) {
      const code = (error as { code?: string }).code;
      issues.push({
        path: part.zipPaths[o.id]!,
        value: o.zip,
        expected: `a readable ZIP file (${path}: ${code === "ENOENT" ? "no such file" : String(code ?? error)})`,
      });
      return o;
    }
  });
  if (issues.length > 0) return new DecodeError(scenarioFile, issues);
  return { ...scenario, systems: { ...scenario.systems, wallarooTasks: { ...part, orchestrations } } };
}
