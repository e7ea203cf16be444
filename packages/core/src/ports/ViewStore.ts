import * as Context from "effect/Context";
import * as Data from "effect/Data";
import type * as Effect from "effect/Effect";
import type { DyffEntity } from "../systems/dyff/entity.js";

/**
 * A document in the query view, with the state-log version it was derived from. `decoded`, set by
 * the sink, is the entity `value` encodes, as the sink had it: a view store in this process (the
 * memory view) keeps it and its readers take it instead of parsing `value`; a database stores the
 * text only. It counts only with that very text ({@link carriedEntity}).
 */
export interface ViewDocument {
  readonly id: string;
  readonly version: number;
  readonly value: string;
  readonly decoded?: { readonly value: string; readonly entity: DyffEntity };
}

/**
 * The entity a view document carries from the sink, when it carries one for this very text; else
 * undefined, and the reader parses `document.value`.
 *
 * @example
 * ```ts
 * const entity = carriedEntity(doc) ?? JSON.parse(doc.value);
 * ```
 */
export function carriedEntity(document: ViewDocument): DyffEntity | undefined {
  const d = document.decoded;
  return d !== undefined && d.value === document.value ? d.entity : undefined;
}

export class ViewStoreError extends Data.TaggedError("ViewStoreError")<{
  readonly operation: string;
  readonly message: string;
}> {}

/** The shape of the query view (Dyff's MongoDB, fed by the workflows-sink). */
export interface ViewStoreShape {
  /** Stores the document unless the view already holds this id at the same or a newer version; true when stored. */
  readonly upsert: (document: ViewDocument) => Effect.Effect<boolean, ViewStoreError>;
  readonly get: (id: string) => Effect.Effect<ViewDocument | undefined, ViewStoreError>;
  /** Every document, in id order. */
  readonly list: () => Effect.Effect<readonly ViewDocument[], ViewStoreError>;
}

/** The query view: derived from the state log, eventually consistent, never written by commands. */
export class ViewStore extends Context.Service<ViewStore, ViewStoreShape>()("@phasekit/core/ViewStore") {}
