import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DecodeError } from "@phasekit/core";
import { parseScenario } from "./load.js";
import { runScenario, type SimulationResult } from "./run.js";
import { readWallarooZips } from "./systems/wallaroo-tasks/zips.js";

/**
 * For tests: the example scenarios of the repository, run as the CLI runs them.
 *
 * @module
 */

const dir = fileURLToPath(new URL("../../../../examples/", import.meta.url));

/** The example files (`examples/*.yaml`), fault-heavy.yaml (the slow one) left out. */
export const exampleFiles = readdirSync(dir).filter((f) => f.endsWith(".yaml") && f !== "fault-heavy.yaml");

/** Runs `examples/<file>` as the CLI does (its Wallaroo zips read beside it), with its seed or `seed`. */
export function runExample(file: string, seed?: number): SimulationResult {
  const scenario = readWallarooZips(
    parseScenario(readFileSync(`${dir}${file}`, "utf8"), `examples/${file}`),
    `${dir}${file}`,
    (p) => readFileSync(p),
  );
  if (scenario instanceof DecodeError) throw scenario;
  return runScenario(scenario, seed === undefined ? {} : { seed });
}

/** The statuses of `id` in the order the view showed them, as `Status` or `Status/Reason`. */
export const statusesOf = (r: SimulationResult, id: string): string[] =>
  r.timeline.filter((e) => e.id === id).map((e) => (e.reason ? `${e.status}/${e.reason}` : e.status));
