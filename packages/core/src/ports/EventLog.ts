import * as Context from "effect/Context";
import type { EventMessage } from "../platform/messages.js";
import type { LogShape } from "./Log.js";

/**
 * The event log (Dyff's `dyff.workflows.events`): commands and status messages, keyed by entity id.
 * Per-key order, at-least-once, consumer groups with committed offsets.
 *
 * @example
 * ```ts
 * const program = Effect.gen(function* () {
 *   const events = yield* EventLog;
 *   yield* events.append([{ key: "e1", value: JSON.stringify({ status: "Admitted" }) }]);
 * });
 * ```
 */
export class EventLog extends Context.Service<EventLog, LogShape<EventMessage>>()(
  "@phasekit/core/EventLog",
) {}
