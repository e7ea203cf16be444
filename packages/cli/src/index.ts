/**
 * The phasekit command line, as a library: `run(argv, io)` returns the exit code.
 *
 * @packageDocumentation
 */
export { exit, type Io, processIo, UsageError } from "./io.js";
export { run } from "./main.js";
