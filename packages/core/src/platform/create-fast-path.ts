import { entityIdPattern } from "../systems/dyff/entity.js";
import type { AnyDyffKind, DyffEntity } from "../systems/dyff/index.js";
import { validLabels } from "./event-fast-path.js";
import { JsonTextReader } from "./text-reader.js";

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

const r = new JsonTextReader();
/**
 * The entity's fields before its labels as `JSON.stringify` writes them: each name, the text before
 * its value (`schemaVersion` and `revision` are constants of that text), and whether it may be null.
 */
const head: readonly (readonly [string, string, boolean])[] = [
  ["kind", '{"type":"Create","entity":{"kind":', false],
  ["id", ',"id":', false],
  ["account", ',"account":', false],
  ["creationTime", ',"schemaVersion":0,"revision":1,"creationTime":', false],
  ["lastTransitionTime", ',"lastTransitionTime":', true],
  ["status", ',"status":', false],
  ["reason", ',"reason":', true],
  ["message", ',"message":', true],
];

/**
 * The entity of a Create as `encodeEvent` writes it (`JSON.stringify`: no whitespace, the schema's
 * key order, no `document`), read from the text as `JSON.parse(text).entity` would give it, with
 * only the spec (the last key, anything JSON) left to `JSON.parse`; undefined for any other text
 * (whitespace, another key order, an escape in a string, a repeated or `__proto__` label), which
 * the caller parses as before. What it returns still goes through {@link fastEntity}'s checks.
 *
 * @example
 * ```ts
 * scanCreateEntity(encodeEvent({ type: "Create", entity }))?.id; // entity.id
 * scanCreateEntity('{"type":"Create", "entity":{}}'); // undefined: JSON.parse reads it
 * ```
 */
export function scanCreateEntity(text: string): Record<string, unknown> | undefined {
  r.start(text);
  const out: Record<string, unknown> = {};
  for (const [name, before, nullable] of head) {
    if (!r.lit(before)) return undefined;
    const value = nullable ? r.nullable(0) : (r.str(0) ?? false);
    if (value === false) return undefined;
    if (name === "creationTime") {
      out.schemaVersion = 0;
      out.revision = 1;
    }
    out[name] = value;
  }
  const labels = r.lit(',"labels":') ? r.labels(false) : undefined;
  if (labels === undefined || !r.lit(',"spec":') || !text.endsWith("}}")) return undefined;
  out.labels = labels;
  // The spec is the rest but the two braces that close the entity and the event: when it is one
  // JSON value, the whole text is JSON, and its spec is that value.
  const rest = text.slice(r.at, text.length - 2);
  if (rest === "{}") out.spec = {};
  else
    try {
      out.spec = JSON.parse(rest);
    } catch {
      return undefined;
    }
  return out;
}
