import * as Effect from "effect/Effect";
import type * as Scope from "effect/Scope";
import { DecodeError } from "../lifecycle/errors.js";
import type { LogError } from "../ports/Log.js";
import { StateLog } from "../ports/StateLog.js";
import { carriedEntity, type ViewDocument, ViewStore, type ViewStoreError } from "../ports/ViewStore.js";
import type { DyffEntity } from "../systems/dyff/index.js";
import { type DeadLetterHook, decodeBatch, logDeadLetter, redeliveringUntilCommitted } from "./consume.js";
import { consumerGroups } from "./consumer-groups.js";
import { decodeStateShared } from "./decode-memo.js";
import { decodeEntity, type StateMessage } from "./messages.js";
import { keepNewestState } from "./state.js";

/**
 * The workflows-sink (walkthrough step 6): copies the state log into the query view. The view keeps
 * the newest version of each entity, so a stale or repeated state record changes nothing.
 *
 * @module
 */

/**
 * The view document of a state message: the entity as JSON, under its id and version.
 *
 * @example
 * ```ts
 * viewDocument({ version: 3, entity }); // { id: entity.id, version: 3, value: "{...}" }
 * ```
 */
export const viewDocument = (state: StateMessage): ViewDocument => {
  const value = JSON.stringify(state.entity);
  return { id: state.entity.id, version: state.version, value, decoded: { value, entity: state.entity } };
};

/**
 * Reads an entity back from a view document, or a DecodeError (a view written by something else).
 *
 * @example
 * ```ts
 * const doc = yield* (yield* ViewStore).get("e1");
 * const entity = doc && viewEntity(doc);
 * ```
 */
export function viewEntity(document: ViewDocument): DyffEntity | DecodeError {
  const carried = carriedEntity(document);
  if (carried !== undefined) return carried;
  let json: unknown;
  try {
    json = JSON.parse(document.value);
  } catch {
    return new DecodeError(`view ${document.id}`, [
      { path: "$", value: document.value, expected: "JSON text" },
    ]);
  }
  return decodeEntity(json, `view ${document.id}`);
}

/**
 * The documents to write for a batch of state messages: the newest version of each id, in id order.
 * Older versions in the same batch would be ignored by the view anyway; skipping them saves writes.
 *
 * @example
 * ```ts
 * for (const doc of documentsToWrite(states)) yield* view.upsert(doc);
 * ```
 */
export function documentsToWrite(states: readonly StateMessage[]): ViewDocument[] {
  const newest = new Map<string, StateMessage>();
  for (const s of states) keepNewestState(newest, s);
  return [...newest.keys()].sort().map((id) => viewDocument(newest.get(id)!));
}

export interface SinkOptions {
  /** Consumer group on the state log (default `phasekit.workflows-sink`). */
  readonly group?: string;
  readonly maxRecords?: number;
  readonly onDeadLetter?: DeadLetterHook;
  /**
   * Write every version a batch holds, one upsert per record in the order the poll gave them
   * (default false: only the newest version of each id, see {@link documentsToWrite}). The view ends
   * the same either way; with this on, it also passes through each version on the way, as a sink
   * polling one record at a time would, which is what a watcher of the view (the simulator's
   * timeline) needs to see every status change. It costs one upsert per record instead of one per id.
   *
   * @example
   * ```ts
   * const sink = yield* makeSink({ everyVersion: true }); // the view shows Created, then Admitted, then Ready
   * ```
   */
  readonly everyVersion?: boolean;
}

/** A running sink; `runOnce` copies what is on the state log now and returns how many records it handled. */
export interface Sink {
  readonly runOnce: () => Effect.Effect<number, LogError | ViewStoreError>;
}

/**
 * Starts a sink. Each `runOnce` polls the state log, upserts the newest version of each entity into
 * the view (every version, in poll order, with `everyVersion`), then commits; after a failure, the
 * next `runOnce` retries the same batch.
 *
 * @example
 * ```ts
 * const sink = yield* makeSink();
 * yield* sink.runOnce();
 * ```
 */
export const makeSink = (
  options: SinkOptions = {},
): Effect.Effect<Sink, LogError, StateLog | ViewStore | Scope.Scope> =>
  Effect.gen(function* () {
    const stateLog = yield* StateLog;
    const view = yield* ViewStore;
    const group = options.group ?? consumerGroups.sink.group;
    const onDeadLetter = options.onDeadLetter ?? logDeadLetter;
    // A batch whose upserts or commit failed is written again by the next runOnce.
    const consumer = redeliveringUntilCommitted(yield* stateLog.consumer(group), options.maxRecords ?? 500);
    // One generator function for every run: a fresh `function*` per call costs V8 a new generator map (~2 us).
    const runOnce = Effect.fnUntraced(function* () {
      const records = yield* consumer.poll();
      if (records.length === 0) return 0;
      const states = (yield* decodeBatch(records, decodeStateShared, group, onDeadLetter)).map(
        (d) => d.message,
      );
      const documents = options.everyVersion ? states.map(viewDocument) : documentsToWrite(states);
      for (const doc of documents) yield* view.upsert(doc);
      yield* consumer.commit(records);
      return records.length;
    });
    return { runOnce };
  });
