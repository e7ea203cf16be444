import {
  aggregate,
  carriedMessage,
  DecodeError,
  decodeEvent,
  decodeStateShared,
  type EventMessage,
  type LogRecord,
  type StateMessage,
} from "@phasekit/core";

/**
 * Decoded log records: the message a record carries from its writer in this process (core's
 * `eventRecord`/`stateRecord`), else decoded once and cached by record: the memory logs hand out the
 * same frozen record objects every time, and the invariants read the whole logs after every step of
 * a model-based test, which would otherwise decode (zod) every record again and again.
 *
 * @module
 */

const states = new WeakMap<LogRecord, StateMessage | DecodeError>();
const events = new WeakMap<LogRecord, EventMessage | DecodeError>();

/** A state-log record's message (or why it does not decode), decoded once. */
export function stateOf(record: LogRecord<StateMessage>): StateMessage | DecodeError {
  const carried = carriedMessage(record);
  if (carried !== undefined) return carried;
  let s = states.get(record);
  if (s === undefined) states.set(record, (s = decodeStateShared(record.key, record.value)));
  return s;
}

/** An event-log record's message (or why it does not decode), decoded once. */
export function eventOf(record: LogRecord<EventMessage>): EventMessage | DecodeError {
  const carried = carriedMessage(record);
  if (carried !== undefined) return carried;
  let e = events.get(record);
  if (e === undefined) events.set(record, (e = decodeEvent(record.key, record.value)));
  return e;
}

/**
 * Replays an event log from offset zero with the aggregator's own fold (`aggregate`), as core's
 * `replayEvents` does, with decoded records cached.
 */
export function replayLog(records: readonly LogRecord<EventMessage>[]): Map<string, StateMessage> {
  const replayed = new Map<string, StateMessage>();
  for (const record of records) {
    const event = eventOf(record);
    if (event instanceof DecodeError) continue;
    const fold = aggregate(replayed.get(record.key), event);
    if (fold.type === "changed") replayed.set(record.key, fold.state);
  }
  return replayed;
}
