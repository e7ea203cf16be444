import { catalog } from "../catalog/catalog.js";
import type { DecodeError, TransitionError } from "./errors.js";
import type { LifecycleEvent } from "./machine.js";
import type { StatusRecord } from "./record.js";

/**
 * Steps a record of any registered kind by one event, looking the kind up in the catalog.
 * Returns the next record, a {@link TransitionError} when the event is not allowed there, or a
 * {@link DecodeError} when the system or kind is unknown or the event's `at` is not RFC 3339. Never
 * throws. For a known kind, `catalog.lifecycle("dyff", "Evaluation").step(...)` is typed by its events.
 *
 * @example
 * ```ts
 * import { step } from "@phasekit/core";
 * const next = step("dyff", "Evaluation", { status: "Created", reason: null, message: null, lastTransitionTime: null }, { type: "admit" });
 * ```
 */
export function step(
  system: string,
  kind: string,
  record: StatusRecord,
  event: LifecycleEvent,
): StatusRecord | TransitionError | DecodeError {
  const lifecycle = catalog.lifecycle(system, kind);
  return "step" in lifecycle ? lifecycle.step(record, event) : lifecycle;
}
