import * as Context from "effect/Context";
import * as Data from "effect/Data";
import type * as Effect from "effect/Effect";

/** A stored value and its version; versions increase with every write of the key. */
export interface Versioned {
  readonly value: string;
  readonly version: number;
}

export class KeyValueError extends Data.TaggedError("KeyValueError")<{
  readonly operation: string;
  readonly key: string;
  readonly message: string;
}> {}

/** The shape of the strongly consistent key-value store. */
export interface KeyValueShape {
  readonly get: (key: string) => Effect.Effect<Versioned | undefined, KeyValueError>;
  /**
   * Writes `value` only if the key's current version is `expected` (`null`: the key is absent).
   * Returns the new version, or `null` when another writer got there first (nothing written).
   */
  readonly compareAndSet: (
    key: string,
    expected: number | null,
    value: string,
  ) => Effect.Effect<number | null, KeyValueError>;
  /** Every key with this prefix, in key order. */
  readonly list: (prefix: string) => Effect.Effect<ReadonlyMap<string, Versioned>, KeyValueError>;
}

/**
 * The orchestrator's strongly consistent store: it records admissions with compare-and-set, so a
 * workflow is admitted at most once under duplicate messages and restarts.
 */
export class KeyValue extends Context.Service<KeyValue, KeyValueShape>()("@phasekit/core/KeyValue") {}
