import { type ViewDocument, ViewStoreError, type ViewStoreShape } from "@phasekit/core";
import { Effect } from "effect";

/** The memory query view: the port, and its documents. */
export interface MemoryViewStore {
  readonly port: ViewStoreShape;
  /** Every document, in id order. */
  readonly documents: () => readonly ViewDocument[];
}

/**
 * The query view in one `Map`: an upsert is kept only when its version is newer than the stored
 * one, so a sink that sees an old state-log record again (a duplicate, a replay) changes nothing.
 *
 * @example
 * ```ts
 * const view = makeMemoryViewStore();
 * Effect.runSync(view.port.upsert({ id: "e1", version: 2, value: "{}" })); // true
 * Effect.runSync(view.port.upsert({ id: "e1", version: 1, value: "{}" })); // false: stale
 * ```
 */
export function makeMemoryViewStore(): MemoryViewStore {
  const documents = new Map<string, ViewDocument>();
  const inOrder = () => [...documents.keys()].sort().map((id) => documents.get(id)!);
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
        documents.set(id, Object.freeze({ id, version, value }));
        return Effect.succeed(true);
      }),
    get: (id) => Effect.sync(() => documents.get(id)),
    list: () => Effect.sync(inOrder),
  };
  return { port, documents: inOrder };
}
