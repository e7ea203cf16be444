import { carriedEntity, type ViewDocument } from "@phasekit/core";

/**
 * The kind, status and reason of a view document's entity, read from its text without parsing all
 * of it: the timeline watcher needs only these three, and the sink writes each entity with them
 * before its labels and spec (`JSON.stringify` of a decoded entity, fields in the schema's order),
 * so a scan of the top-level members up to them replaces a `JSON.parse` of the whole document (the
 * watcher's main cost, issue 17).
 *
 * @module
 */

/** What the timeline reads of a view document's entity. */
export interface ViewStatus {
  readonly kind: string;
  readonly status: string;
  readonly reason: string | null;
}

const quote = 34; // "

/**
 * The entity's `kind`, `status` and `reason`, as `JSON.parse(text)` would give them: a scan of the
 * object's first members (strings without escapes, numbers, booleans, null) up to the three, and
 * `JSON.parse` of the whole text for anything else (a nested value or an escape before them, a
 * member named again later, a value of another type). Text that is not JSON may be read without
 * the error `JSON.parse` would throw when the three come first (the sink writes only JSON).
 *
 * @example
 * ```ts
 * viewStatus('{"kind":"Model","id":"m1","status":"Created","reason":null,"spec":{}}');
 * // { kind: "Model", status: "Created", reason: null }
 * ```
 */
export function viewStatus(text: string): ViewStatus {
  return scanned(text) ?? parsed(text);
}

/**
 * What {@link viewStatus} reads, of a view document: the entity the sink carried with it
 * (`carriedEntity`), else its text scanned; undefined for no document.
 *
 * @example
 * ```ts
 * documentStatus(view.document("m1"))?.status; // "Admitted"
 * ```
 */
export function documentStatus(document: ViewDocument): ViewStatus;
export function documentStatus(document: ViewDocument | undefined): ViewStatus | undefined;
export function documentStatus(document: ViewDocument | undefined): ViewStatus | undefined {
  return document && (carriedEntity(document) ?? viewStatus(document.value));
}

function parsed(text: string): ViewStatus {
  const e = JSON.parse(text) as { kind: string; status: string; reason: string | null };
  return { kind: e.kind, status: e.status, reason: e.reason };
}

function scanned(text: string): ViewStatus | undefined {
  if (text.charCodeAt(0) !== 123) return undefined; // {
  let kind: string | undefined;
  let status: string | undefined;
  let reason: string | null | undefined;
  let i = 1;
  for (;;) {
    // A member: "name":value
    if (text.charCodeAt(i) !== quote) return undefined;
    const nameEnd = text.indexOf('"', i + 1);
    if (nameEnd < 0) return undefined;
    const name = text.slice(i + 1, nameEnd);
    if (name.includes("\\") || text.charCodeAt(nameEnd + 1) !== 58) return undefined; // :
    i = nameEnd + 2;
    const c = text.charCodeAt(i);
    let value: string | null | undefined; // undefined: a number or boolean
    if (c === quote) {
      const end = text.indexOf('"', i + 1);
      if (end < 0) return undefined;
      value = text.slice(i + 1, end);
      if (value.includes("\\")) return undefined;
      i = end + 1;
    } else if (text.startsWith("null", i)) {
      value = null;
      i += 4;
    } else {
      const start = i;
      while (i < text.length && isScalarChar(text.charCodeAt(i))) i++;
      if (i === start) return undefined; // an object or an array
      const literal = text.slice(start, i);
      if (literal !== "true" && literal !== "false" && !Number.isFinite(Number(literal))) return undefined;
      value = undefined;
    }
    if (name === "kind" || name === "status") {
      if (typeof value !== "string" || (name === "kind" ? kind : status) !== undefined) return undefined;
      if (name === "kind") kind = value;
      else status = value;
    } else if (name === "reason") {
      if (value === undefined || reason !== undefined) return undefined;
      reason = value;
    }
    if (kind !== undefined && status !== undefined && reason !== undefined) {
      // The rest must not name any of the three again (JSON.parse keeps the last), even escaped.
      const rest = text.slice(i);
      if (rest.includes('"kind"') || rest.includes('"status"') || rest.includes('"reason"')) return undefined;
      if (rest.includes("\\u")) return undefined;
      return { kind, status, reason };
    }
    if (text.charCodeAt(i) !== 44) return undefined; // ,
    i++;
  }
}

/** Characters of a number or of true/false. */
const isScalarChar = (c: number) =>
  (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || (c >= 97 && c <= 122) || c === 69;
