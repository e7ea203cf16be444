import fc from "fast-check";
import { DecodeError } from "../lifecycle/errors.js";
import type { DyffEntity } from "../systems/dyff/index.js";
import { newEntity } from "./commands.js";
import type { EventMessage, StateMessage } from "./messages.js";

/**
 * Entities and events the control plane's tests build again and again (test support: no package
 * entry exports it).
 *
 * @module
 */

/** The instant every fixture is created at. */
export const at = "2026-01-01T00:00:00Z";

/**
 * A new entity of alice's, as the command API creates it (`newEntity`), created at `createdAt`.
 *
 * @example
 * ```ts
 * entity("Model", "m1").status; // "Created"
 * ```
 */
export function entity(kind: string, id: string, spec: object = {}, createdAt = at): DyffEntity {
  const e = newEntity({ kind, id, account: "alice", spec }, createdAt);
  if (e instanceof DecodeError) throw e;
  return e;
}

/**
 * The entity a Create makes, written out field by field (no command API, no decode): status
 * Created, no transition time yet, no labels. For tests that draw kinds, specs and times themselves.
 *
 * @example
 * ```ts
 * createdEntity({ kind: "Model", id: "m1", account: "alice", creationTime: at, spec: {} }).status; // "Created"
 * ```
 */
export function createdEntity(fields: {
  readonly kind: string;
  readonly id: string;
  readonly account: string;
  readonly creationTime: string;
  readonly spec: unknown;
}): DyffEntity {
  const { kind, id, account, creationTime, spec } = fields;
  return {
    kind,
    id,
    account,
    schemaVersion: 0,
    revision: 1,
    creationTime,
    lastTransitionTime: null,
    status: "Created",
    reason: null,
    message: null,
    labels: {},
    spec,
  };
}

/**
 * A state record (version 1) of a new entity of alice's, with `patch` over it (`creationTime` in
 * the patch is also when it was created).
 *
 * @example
 * ```ts
 * stateOf("Dataset", "d1", {}, { status: "Ready" });
 * ```
 */
export function stateOf(
  kind: string,
  id: string,
  spec: object = {},
  patch: Partial<DyffEntity> = {},
): StateMessage {
  return { version: 1, entity: { ...entity(kind, id, spec, patch.creationTime ?? at), ...patch } };
}

/**
 * The informer's status event at `at`.
 *
 * @example
 * ```ts
 * informerStatus("Error", "FetchFailed");
 * ```
 */
export const informerStatus = (status: string, reason: string | null = null): EventMessage => ({
  type: "Status",
  status,
  reason,
  author: "informer",
  at,
});

/**
 * A text with one character inserted, removed or replaced, often by one JSON gives meaning to: near
 * misses for the readers that skip `JSON.parse` (`text-reader.ts`).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(mangled(fc.constant('{"a":1}')), (text) => typeof text === "string"));
 * ```
 */
export const mangled = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .tuple(
      text,
      fc.nat(),
      fc.constantFrom("insert", "remove", "replace"),
      fc.constantFrom('"', "\\", ",", ":", "{", "}", "[", " ", "\n", "\u0001", "n", "l", "0", "a", "\u00e9"),
    )
    .map(([t, n, how, c]) => {
      const i = n % (t.length + 1);
      if (how === "insert") return t.slice(0, i) + c + t.slice(i);
      return t.slice(0, i) + (how === "replace" ? c : "") + t.slice(i + 1);
    });
