import type * as Layer from "effect/Layer";
import { StateLog } from "../../ports/StateLog.js";
import { type LogSuiteOptions, logSuite } from "./Log.js";

export type { LogSuiteOptions } from "./Log.js";

/**
 * The state log's contract: the event log's, except that the log may compact, so only the latest
 * record of each key is sure to be read back (`compacted` defaults to true). `layer` is built afresh
 * for every test and must start with an empty log.
 *
 * @example
 * ```ts
 * import { StateLogSuite } from "@phasekit/core/testing";
 * import { layerMemory } from "./layer.js"; // the adapter's own layer, in its test file
 *
 * StateLogSuite.suite("memory, eager compaction", layerMemory({ compaction: "eager" }));
 * ```
 */
export function suite<E>(name: string, layer: Layer.Layer<StateLog, E>, options: LogSuiteOptions = {}): void {
  logSuite(name, StateLog, layer, { compacted: true, ...options });
}
