import type { parseArgs } from "node:util";
import type { Io } from "./io.js";

/** The flags of a command, in node's parseArgs shape (`{ format: { type: "string" } }`). */
export type Options = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>["options"]>;

/**
 * One subcommand of `phasekit`: its help text (the first line is its usage), its flags, and what it
 * does with the parsed flags and positionals; it returns the exit code.
 */
export interface Command {
  readonly help: string;
  readonly options: Options;
  readonly run: (values: Record<string, unknown>, positionals: string[], io: Io) => number | Promise<number>;
}
