import { DecodeError } from "../lifecycle/errors.js";
import { decodeState, type StateMessage } from "./messages.js";

/**
 * Decoding that remembers what it decoded last. In one process several readers decode the same
 * record: the sink, the orchestrator and the simulator's recorder each decode every state record,
 * and a decode (JSON.parse, then zod over the envelope and the entity's kind schema) costs ~15 us.
 * A hit is the same text under the same key, so it gets the same message; the message is shared,
 * so readers must not mutate it (its type is readonly throughout). Pure: no clock, no I/O; the
 * memory is bounded (it starts over when full).
 *
 * @module
 */

/**
 * `decode`, remembering its last `capacity` successful results by record value and key. Records
 * that do not decode are decoded again each time (they are rare, and their errors are not shared).
 *
 * @example
 * ```ts
 * const decodeOnce = memoDecode(decodeState);
 * decodeOnce("e1", text) === decodeOnce("e1", text); // true: the second call is a lookup
 * ```
 */
export function memoDecode<M extends object>(
  decode: (key: string, value: string) => M | DecodeError,
  capacity = 4096,
): (key: string, value: string) => M | DecodeError {
  let memo = new Map<string, { readonly key: string; readonly message: M }>();
  return (key, value) => {
    const hit = memo.get(value);
    if (hit !== undefined && hit.key === key) return hit.message;
    const message = decode(key, value);
    if (message instanceof DecodeError) return message;
    if (memo.size >= capacity) memo = new Map();
    memo.set(value, { key, message });
    return message;
  };
}

/**
 * {@link decodeState} shared by the readers of the state log in this process (see the module
 * comment): the second reader of a record gets the first one's message.
 *
 * @example
 * ```ts
 * const state = decodeStateShared(record.key, record.value);
 * if (!(state instanceof DecodeError)) state.entity.status;
 * ```
 */
export const decodeStateShared: (key: string, value: string) => StateMessage | DecodeError =
  memoDecode(decodeState);
