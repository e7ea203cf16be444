import { entityIdPattern } from "../systems/dyff/entity.js";
import type { AnyDyffKind, DyffEntity } from "../systems/dyff/index.js";
import { validLabels } from "./event-fast-path.js";

/**
 * A hand-written check of a Create event's entity, for the aggregator's hot path: the kind's zod
 * entity schema costs ~4 us a Create, as much as five other events. Everything but the spec is
 * checked by hand; the spec (small, different for each kind, with defaults) still goes through the
 * kind's spec schema. It accepts only what the kind's entity schema accepts and returns what that
 * schema returns, keys in the schema's order (a state record's bytes depend on it); for anything
 * else (a bad or missing field, an extra key, a `document`, a `__proto__` key) it returns undefined
 * and the caller decodes with zod, which also writes the error. A property test holds the two
 * together (`create-fast-path.test.ts`).
 *
 * @module
 */

const entityKeys = new Set([
  "kind",
  "id",
  "account",
  "schemaVersion",
  "revision",
  "creationTime",
  "lastTransitionTime",
  "status",
  "reason",
  "message",
  "labels",
  "spec",
]);

const plainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The entity `input` decodes to under `kind`'s entity schema, when the hand check can tell it; else
 * undefined (zod must decide).
 *
 * @example
 * ```ts
 * const kind = kindOf("Model")!;
 * fastEntity(JSON.parse(text).entity, kind)?.status; // "Created"
 * fastEntity({ kind: "Model" }, kind); // undefined: zod reports the missing fields
 * ```
 */
export function fastEntity(input: unknown, kind: AnyDyffKind): DyffEntity | undefined {
  if (!plainObject(input)) return undefined;
  const { id, account, creationTime, lastTransitionTime, status, reason, message, labels } = input;
  if (input.kind !== kind.lifecycle.kind || input.schemaVersion !== 0 || input.revision !== 1)
    return undefined;
  if (typeof id !== "string" || !entityIdPattern.test(id)) return undefined;
  if (typeof account !== "string" || account.length === 0 || typeof creationTime !== "string")
    return undefined;
  if (lastTransitionTime !== null && typeof lastTransitionTime !== "string") return undefined;
  if (message !== null && typeof message !== "string") return undefined;
  if (typeof status !== "string" || (reason !== null && typeof reason !== "string")) return undefined;
  // The leaf found must be this very (status, reason): `leafOf` reads a null reason as "_".
  const leaf = kind.lifecycle.leafOf(status, reason);
  const found = leaf === undefined ? undefined : kind.lifecycle.leaves[leaf];
  if (found === undefined || found.status !== status || found.reason !== reason) return undefined;
  if (!plainObject(labels) || Object.hasOwn(labels, "__proto__") || !validLabels(labels)) return undefined;
  let count = 0;
  for (const k in input) {
    if (!Object.hasOwn(input, k)) continue;
    if (!entityKeys.has(k)) return undefined;
    count++;
  }
  if (count !== entityKeys.size) return undefined;
  const spec = kind.spec.safeParse(input.spec);
  if (!spec.success) return undefined;
  return {
    kind: kind.lifecycle.kind,
    id,
    account,
    schemaVersion: 0,
    revision: 1,
    creationTime,
    lastTransitionTime,
    status,
    reason,
    message,
    labels: { ...(labels as Record<string, string>) },
    spec: spec.data,
  };
}
