import * as Context from "effect/Context";
import * as Data from "effect/Data";
import type * as Effect from "effect/Effect";

/** A document in the query view, with the state-log version it was derived from. */
export interface ViewDocument {
  readonly id: string;
  readonly version: number;
  readonly value: string;
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
