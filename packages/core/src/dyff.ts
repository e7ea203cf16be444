/**
 * Dyff alone: its lifecycles, schemas and helpers, without the other systems, the catalog or the
 * control plane, so a bundle that needs only Dyff carries only Dyff. The same bindings as from
 * `@phasekit/core` (one class per error, whichever entry you import from).
 *
 * @example
 * ```ts
 * import { TransitionError } from "@phasekit/core/dyff";
 * ```
 *
 * @packageDocumentation
 */
export { DecodeError, type DecodeIssue, type EventDescriptor, TransitionError } from "./lifecycle/errors.js";
export { Lifecycle } from "./lifecycle/lifecycle.js";
export type { StatusRecord } from "./lifecycle/record.js";
export * from "./systems/dyff/index.js";
export * from "./systems/dyff/released/index.js";
