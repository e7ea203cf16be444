import { readFileSync } from "node:fs";
import { parseScenario, readWallarooZips } from "@phasekit/adapter-memory";
import { DecodeError } from "@phasekit/core";
import type { Command } from "../command.js";
import { exit, type Io, inputName, readInput, UsageError } from "../io.js";

export const validateHelp = `phasekit validate <file>...

Checks scenario files (YAML or JSON, see docs/scenarios.md) without running them: the syntax, every
field against the scenario schema (packages/cli/schema/scenario.schema.json), the cross-field rules
(ids exist, needs have the right kinds, ...) and the Wallaroo ZIP files a scenario names. Prints
"<file>: valid" or every problem with its path, the value found and what was expected.
A file "-" is standard input.
Exit code: 0 every file is valid, 2 one is not (or bad usage).`;

/** What a valid scenario holds, in a few words: `3 resources, 2 events`. */
function contents(scenario: Exclude<ReturnType<typeof parseScenario>, DecodeError>): string {
  const s = scenario.systems;
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  const resources =
    scenario.resources.length +
    (s?.runai?.jobs.length ?? 0) +
    (s?.ray?.workflows.length ?? 0) +
    (s?.wallaroo?.deployments.length ?? 0) +
    (s?.wallarooTasks?.orchestrations.length ?? 0) +
    (s?.wallarooTasks?.tasks.length ?? 0);
  const events =
    scenario.events.length +
    (s?.runai?.events.length ?? 0) +
    (s?.ray?.events.length ?? 0) +
    (s?.wallaroo?.events.length ?? 0) +
    (s?.wallarooTasks?.events.length ?? 0);
  return `${count(resources, "resource")}, ${count(events, "event")}`;
}

/**
 * `phasekit validate <file>...`: each scenario file decoded and checked, nothing run.
 *
 * @example
 * ```ts
 * validate(["examples/quota-wait.yaml"], processIo); // 0, prints "examples/quota-wait.yaml: valid (...)"
 * ```
 */
export function validate(files: readonly string[], io: Io): number {
  if (files.length === 0) throw new UsageError("expected a scenario file: phasekit validate <file>...");
  let code: number = exit.ok;
  for (const file of files) {
    const name = inputName(file);
    let scenario: ReturnType<typeof parseScenario>;
    try {
      scenario = readWallarooZips(parseScenario(readInput(file, io), name), file === "-" ? "" : file, (p) =>
        readFileSync(p),
      );
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.err(`phasekit validate: ${error.message}\n`);
      code = exit.usage;
      continue;
    }
    if (scenario instanceof DecodeError) {
      io.err(`phasekit validate: ${scenario.message}\n`);
      code = exit.usage;
    } else io.out(`${name}: valid (${contents(scenario)})\n`);
  }
  return code;
}

export const command: Command = {
  help: validateHelp,
  options: {},
  run: (_v, p, io) => validate(p, io),
};
