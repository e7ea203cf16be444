import * as Effect from "effect/Effect";
import type { LogError, LogShape } from "../ports/Log.js";
import { type DeadLetterHook, decodeBatch } from "./consume.js";
import { decodeState, type StateMessage } from "./messages.js";

/**
 * Reading the compacted state log: the newest version of each entity. Kafka compacts lazily, so older
 * versions of a key may still be there; and a consumer that re-reads a record after a restart must
 * not step back to it. Hence "newest version wins", never "last record wins".
 *
 * @module
 */

/**
 * Keeps `state` if it is newer than what `states` holds for its id; true when it was kept.
 *
 * @example
 * ```ts
 * const states = new Map<string, StateMessage>();
 * keepNewestState(states, { version: 2, entity }); // true
 * keepNewestState(states, { version: 1, entity }); // false: stale
 * ```
 */
export function keepNewestState(states: Map<string, StateMessage>, state: StateMessage): boolean {
  const held = states.get(state.entity.id);
  if (held && held.version >= state.version) return false;
  states.set(state.entity.id, state);
  return true;
}

/**
 * The newest state of every entity on the state log, read from the start. Undecodable records go to
 * the dead-letter hook.
 *
 * @example
 * ```ts
 * const states = yield* loadState(yield* StateLog, "phasekit.orchestrator", logDeadLetter);
 * ```
 */
export const loadState = (
  log: LogShape<StateMessage>,
  consumer: string,
  onDeadLetter: DeadLetterHook,
): Effect.Effect<Map<string, StateMessage>, LogError> =>
  Effect.gen(function* () {
    const records = yield* log.readAll();
    const decoded = yield* decodeBatch(records, decodeState, consumer, onDeadLetter);
    const states = new Map<string, StateMessage>();
    for (const { message } of decoded) keepNewestState(states, message);
    return states;
  });
