/**
 * Types read off a typed {@link Lifecycle}, for code that names a kind's statuses, reasons or events
 * without repeating them.
 *
 * @example
 * ```ts
 * type ReportStatus = LifecycleStatus<typeof dyff.Report>; // "Created" | "Admitted" | "Complete" | ...
 * const event: LifecycleEventOf<typeof dyff.Report> = { type: "fail", reason: "RunFailed" };
 * ```
 *
 * @module
 */

import type { Lifecycle } from "./lifecycle.js";
import type { EventUnion } from "./machine.js";
import type { StatusRecord } from "./record.js";

/** A lifecycle of any kind, its types widened: for code that handles every kind alike (the catalog, a CLI). */
export type AnyLifecycle = Lifecycle;

/** The status union of a lifecycle type: `LifecycleStatus<typeof dyff.Report>` is `"Created" | "Admitted" | ...`. */
export type LifecycleStatus<L> = L extends Lifecycle<infer S, infer _R, infer _E, infer _M> ? S : never;
/** The reason union of a lifecycle type. */
export type LifecycleReason<L> = L extends Lifecycle<infer _S, infer R, infer _E, infer _M> ? R : never;
/** The event-type union of a lifecycle type. */
export type LifecycleEventType<L> = L extends Lifecycle<infer _S, infer _R, infer E, infer _M> ? E : never;
/** The events a lifecycle takes: a union discriminated on `type`, each with its own reasons. */
export type LifecycleEventOf<L> =
  L extends Lifecycle<infer _S, infer _R, infer E, infer M> ? EventUnion<E, M> : never;
/** The status record of a lifecycle type. */
export type LifecycleRecord<L> = StatusRecord<LifecycleStatus<L>, LifecycleReason<L>>;
