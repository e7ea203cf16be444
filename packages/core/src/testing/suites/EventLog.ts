import type * as Layer from "effect/Layer";
import { EventLog } from "../../ports/EventLog.js";
import { type LogSuiteOptions, logSuite } from "./Log.js";

export type { LogSuiteOptions } from "./Log.js";

/**
 * The event log's contract, as vitest tests: per-key order, same key same partition, at-least-once
 * delivery to consumer groups with committed offsets. Call it from an adapter's test file; `layer` is
 * built afresh for every test and must start with an empty log.
 *
 * @example
 * ```ts
 * import { EventLogSuite } from "@phasekit/core/testing";
 * import { layerMemory } from "./layer.js"; // the adapter's own layer, in its test file
 *
 * EventLogSuite.suite("memory", layerMemory());
 * EventLogSuite.suite("memory, duplicates", layerMemory({ faults: { duplicate: 0.3 } }));
 * ```
 */
export function suite<E>(name: string, layer: Layer.Layer<EventLog, E>, options: LogSuiteOptions = {}): void {
  logSuite(name, EventLog, layer, options);
}
