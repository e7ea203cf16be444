/**
 * JSON Merge Patch (RFC 7396), the patch format of Dyff's edit commands and of its Revisions: an
 * object patch merges member by member, `null` deletes a member, anything else replaces wholesale
 * (arrays included). Pure.
 *
 * @module
 */

/** A JSON value. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
type JsonObject = { readonly [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Deep equality of JSON values (member order ignored). */
export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]!));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k]!, b[k]!));
}

/**
 * Applies a merge patch to a target (RFC 7396, section 2).
 *
 * @example
 * ```ts
 * import { applyMergePatch } from "@phasekit/core";
 * applyMergePatch({ a: 1, b: { c: 2 } }, { a: null, b: { d: 3 } }); // { b: { c: 2, d: 3 } }
 * ```
 */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k] ?? null, v);
  }
  return out;
}

/**
 * The merge patch that turns `from` into `to`: `applyMergePatch(from, mergePatchBetween(from, to))`
 * equals `to` whenever no object inside `to` holds a `null` member. A merge patch cannot say
 * "set this member to null" (null means delete), so such a member comes out absent, or stays null
 * where `from` held the same null already (no change, no patch entry): equal to `to` up to null
 * members ({@link withoutNullMembers} of both).
 *
 * @example
 * ```ts
 * import { mergePatchBetween } from "@phasekit/core";
 * mergePatchBetween({ status: "Admitted", reason: "Unverified" }, { status: "Complete" }); // { status: "Complete", reason: null }
 * ```
 */
export function mergePatchBetween(from: Json, to: Json): Json {
  if (!isObject(from) || !isObject(to)) return to;
  const patch: Record<string, Json> = {};
  for (const k of Object.keys(from)) if (!Object.hasOwn(to, k)) patch[k] = null;
  for (const [k, v] of Object.entries(to)) {
    const before = Object.hasOwn(from, k) ? from[k]! : undefined;
    if (before !== undefined && jsonEqual(before, v)) continue;
    patch[k] = before !== undefined && isObject(before) && isObject(v) ? mergePatchBetween(before, v) : v;
  }
  return patch;
}

/**
 * A value with every `null` member of its objects removed (objects inside arrays are kept as they
 * are: a merge patch replaces an array whole): what a merge patch can carry of it.
 *
 * @example
 * ```ts
 * import { withoutNullMembers } from "@phasekit/core";
 * withoutNullMembers({ reason: null, labels: { a: "1" } }); // { labels: { a: "1" } }
 * ```
 */
export function withoutNullMembers(value: Json): Json {
  if (!isObject(value)) return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNullMembers(v);
  return out;
}
