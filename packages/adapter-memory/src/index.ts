/**
 * phasekit's in-memory adapter: a Layer for every port of `@phasekit/core`, in one process, with
 * seeded fault injection (duplicate delivery, reordering across keys, crash before commit, informer
 * lag) that never breaks a guarantee Kafka or Kubernetes give, and a handle to look inside.
 *
 * @packageDocumentation
 */
export type { MemoryAuthorizer } from "./authorizer.js";
export { makeMemoryAuthorizer } from "./authorizer.js";
export { type MemoryBackendShape, type MemoryOptions, makeMemoryBackend } from "./backend.js";
export { type MemoryCluster, makeMemoryCluster } from "./cluster.js";
export { type MemoryFaults, noFaults, validateFaults } from "./faults.js";
export { type MemoryKeyValue, makeMemoryKeyValue } from "./key-value.js";
export { layerMemory, layerMemoryBackend, MemoryBackend, type MemoryPorts } from "./layer.js";
export { type LogStats, type MemoryLog, type MemoryLogOptions, makeMemoryLog } from "./log.js";
export { hash32, makePrng, type Prng } from "./prng.js";
export * from "./simulator/index.js";
export { type MemoryViewStore, makeMemoryViewStore } from "./view-store.js";
