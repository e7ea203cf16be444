import type { EventMessage, Principal, StateMessage } from "@phasekit/core";
import { type MemoryAuthorizer, makeMemoryAuthorizer } from "./authorizer.js";
import { type MemoryCluster, makeMemoryCluster } from "./cluster.js";
import { type MemoryFaults, noFaults, validateFaults } from "./faults.js";
import { type MemoryKeyValue, makeMemoryKeyValue } from "./key-value.js";
import { type MemoryLog, makeMemoryLog } from "./log.js";
import { makePrng } from "./prng.js";
import { type MemoryViewStore, makeMemoryViewStore } from "./view-store.js";

/** How a memory backend is built. Every field is optional. */
export interface MemoryOptions {
  /** Partitions of each log (default 3; Kafka's own default is 1, which would hide cross-key reordering). */
  readonly partitions?: number;
  /** Seed of every random choice the faults make (default 0): same seed, same program, same run. */
  readonly seed?: number;
  /** Faults in force from the start (default none); `backend.setFaults` changes them later. */
  readonly faults?: Partial<MemoryFaults>;
  /** What each bearer token grants (default: no token, so every command is refused). */
  readonly tokens?: Readonly<Record<string, Principal>>;
  /** Log names (default Dyff's topics `dyff.workflows.events` and `dyff.workflows.state`). */
  readonly topics?: { readonly events?: string; readonly state?: string };
  /** When the state log compacts: `manual` (default, on `backend.state.compact()`) or `eager` (on every append). */
  readonly compaction?: "manual" | "eager";
}

/**
 * Everything the memory Layers serve, open for inspection and fault injection: the logs' records
 * and committed offsets, the key-value entries, the cluster's objects, the view's documents, the
 * authorizer's grants.
 */
export interface MemoryBackendShape {
  readonly seed: number;
  /** The faults in force now. */
  readonly faults: () => MemoryFaults;
  /** Changes some faults; the others stay as they were. */
  readonly setFaults: (faults: Partial<MemoryFaults>) => void;
  /** The event log (`EventLog`). */
  readonly events: MemoryLog<EventMessage>;
  /** The compacted state log (`StateLog`). */
  readonly state: MemoryLog<StateMessage>;
  readonly keyValue: MemoryKeyValue;
  readonly cluster: MemoryCluster;
  readonly view: MemoryViewStore;
  readonly authorizer: MemoryAuthorizer;
}

const positiveInteger = (field: string, value: unknown, max: number) => {
  if (!(typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= max)) {
    throw new RangeError(`${field}: got ${String(value)}, expected a whole number from 1 to ${max}`);
  }
  return value;
};

/**
 * A fresh memory backend. Each part draws from its own stream forked from `seed`, so a change in
 * how often one part is used does not change the faults another part sees.
 *
 * @example
 * ```ts
 * const backend = makeMemoryBackend({ seed: 7, faults: { duplicate: 0.2, reorder: true } });
 * const program = Effect.gen(function* () {
 *   const events = yield* EventLog;
 *   yield* events.append([{ key: "e1", value: "{}" }]);
 * });
 * await Effect.runPromise(program.pipe(Effect.provide(layerMemoryBackend(backend))));
 * backend.events.records().length; // 1
 * ```
 */
export function makeMemoryBackend(options: MemoryOptions = {}): MemoryBackendShape {
  const partitions = positiveInteger("partitions", options.partitions ?? 3, 1024);
  const seed = options.seed ?? 0;
  if (!(typeof seed === "number" && Number.isInteger(seed))) {
    throw new RangeError(`seed: got ${String(seed)}, expected a whole number`);
  }
  const compaction = options.compaction ?? "manual";
  if (compaction !== "manual" && compaction !== "eager") {
    throw new RangeError(`compaction: got ${String(compaction)}, expected "manual" or "eager"`);
  }
  let faults = validateFaults({ ...noFaults, ...options.faults });
  const current = () => faults;
  const prng = makePrng(seed);
  const log = <M>(name: string, mode: "manual" | "eager") =>
    makeMemoryLog<M>({ name, partitions, compaction: mode, prng: prng.fork(`log/${name}`), faults: current });
  return {
    seed,
    faults: current,
    setFaults: (change) => {
      faults = validateFaults({ ...faults, ...change });
    },
    events: log<EventMessage>(options.topics?.events ?? "dyff.workflows.events", "manual"),
    state: log<StateMessage>(options.topics?.state ?? "dyff.workflows.state", compaction),
    keyValue: makeMemoryKeyValue(),
    cluster: makeMemoryCluster(prng.fork("cluster"), current),
    view: makeMemoryViewStore(),
    authorizer: makeMemoryAuthorizer(options.tokens),
  };
}
