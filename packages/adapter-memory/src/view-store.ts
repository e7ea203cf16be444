import { carriedEntity, type ViewDocument, ViewStoreError, type ViewStoreShape } from "@phasekit/core";
import { Effect } from "effect";

/** The memory query view: the port, and its documents. */
export interface MemoryViewStore {
  readonly port: ViewStoreShape;
  /** Every document, in id order. */
  readonly documents: () => readonly ViewDocument[];
  /** One document as stored now, or undefined. */
  readonly document: (id: string) => ViewDocument | undefined;
  /**
   * Calls `listener` with every upsert the view keeps (a newer version), in the order they come,
   * until the returned function is called: a watcher learns what changed without reading the
   * whole view again.
   */
  readonly onAccepted: (listener: (document: ViewDocument) => void) => () => void;
}

/**
 * The query view in one `Map`: an upsert is kept only when its version is newer than the stored
 * one, so a sink that sees an old state-log record again (a duplicate, a replay) changes nothing.
 *
 * @example
 * ```ts
 * const view = makeMemoryViewStore();
 * const seen: string[] = [];
 * view.onAccepted((d) => seen.push(`${d.id}@${d.version}`));
 * Effect.runSync(view.port.upsert({ id: "e1", version: 2, value: "{}" })); // true
 * Effect.runSync(view.port.upsert({ id: "e1", version: 1, value: "{}" })); // false: stale
 * seen; // ["e1@2"]
 * ```
 */
export function makeMemoryViewStore(): MemoryViewStore {
  const documents = new Map<string, ViewDocument>();
  const listeners = new Set<(document: ViewDocument) => void>();
  /** The ids in order, kept until a new id arrives (updates of known ids do not reorder them). */
  let sortedIds: string[] | null = null;
  const inOrder = () => {
    sortedIds ??= [...documents.keys()].sort();
    return sortedIds.map((id) => documents.get(id)!);
  };
  const port: ViewStoreShape = {
    upsert: (document) =>
      Effect.suspend(() => {
        const { id, version, value } = document;
        if (typeof id !== "string" || typeof value !== "string" || !Number.isFinite(version)) {
          return Effect.fail(
            new ViewStoreError({
              operation: "upsert",
              message: `document ${JSON.stringify(id)}: expected { id: string, version: number, value: string }`,
            }),
          );
        }
        const current = documents.get(id);
        if (current !== undefined && current.version >= version) return Effect.succeed(false);
        if (current === undefined) sortedIds = null;
        // The sink's entity is kept only with the very text it was encoded to (core's carriedEntity).
        const carried = carriedEntity(document);
        const stored = Object.freeze(
          carried === undefined
            ? { id, version, value }
            : { id, version, value, decoded: { value, entity: carried } },
        );
        documents.set(id, stored);
        for (const listener of listeners) listener(stored);
        return Effect.succeed(true);
      }),
    get: (id) => Effect.sync(() => documents.get(id)),
    list: () => Effect.sync(inOrder),
  };
  return {
    port,
    documents: inOrder,
    document: (id) => documents.get(id),
    onAccepted: (listener) => {
      // Wrapped, so the same function subscribed twice is called twice and each unsubscribe removes one.
      const entry = (document: ViewDocument) => listener(document);
      listeners.add(entry);
      return () => void listeners.delete(entry);
    },
  };
}
