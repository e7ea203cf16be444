/**
 * The phasekit command line, as a library: `run(argv, io)` returns the exit code.
 *
 * @packageDocumentation
 */

export { type InputFormat, inputFormats } from "./conform/formats.js";
export { ConformPipeline, type PipelineOptions } from "./conform/pipeline.js";
export { ReadError } from "./conform/split.js";
export { exit, type Io, processIo, UsageError } from "./io.js";
export { run } from "./main.js";
