import { labelKeyPattern } from "../systems/dyff/entity.js";
import type { EventMessage } from "./messages.js";

/**
 * A hand-written check of the common event-log messages (every type but `Create`), for the
 * aggregator's hot path: zod's strict discriminated union costs several microseconds an event, more
 * than folding it. It accepts only values the zod schemas accept and returns what they return; for
 * anything else (a Create, a wrong or missing field, an extra key) it returns undefined and the
 * caller decodes with zod, which also writes the error. A property test holds the two together.
 *
 * @module
 */

const text = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const keys = (o: object) => Object.keys(o);
const only = (o: object, allowed: readonly string[]) => {
  const ks = keys(o);
  for (const k of ks) if (!allowed.includes(k)) return false;
  return true;
};

const statusKeys = ["type", "status", "reason", "message", "author", "at"] as const;
const commandKeys = ["type", "by", "at"] as const;
const labelsKeys = ["type", "labels", "by", "at"] as const;

function labelsOf(v: unknown): Record<string, string | null> | undefined {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  const out: Record<string, string | null> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === "__proto__" || (x !== null && typeof x !== "string")) return undefined;
    out[k] = x;
  }
  return out;
}

/**
 * The event of a parsed JSON value when it is a well-formed Status, Labels, Terminate, Delete or
 * Uploaded message; undefined when zod must decide.
 *
 * @example
 * ```ts
 * fastEvent(JSON.parse('{"type":"Delete","by":"alice","at":"2026-01-01T00:00:00Z"}'))?.type; // "Delete"
 * fastEvent({ type: "Delete", by: "" }); // undefined: zod reports what is wrong
 * ```
 */
export function fastEvent(json: unknown): EventMessage | undefined {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  switch (o.type) {
    case "Status": {
      const { status, reason, message, author, at } = o;
      if (!text(status) || !(reason === null || text(reason)) || !text(at)) return undefined;
      if (author !== "orchestrator" && author !== "informer") return undefined;
      if (!only(o, statusKeys)) return undefined;
      if (Object.hasOwn(o, "message")) {
        if (message !== null && typeof message !== "string") return undefined;
        return { type: "Status", status, reason, message, author, at };
      }
      return { type: "Status", status, reason, author, at };
    }
    case "Terminate":
    case "Delete":
    case "Uploaded": {
      const { type, by, at } = o;
      if (!text(by) || !text(at) || !only(o, commandKeys)) return undefined;
      return { type, by, at };
    }
    case "Labels": {
      const { by, at } = o;
      if (!text(by) || !text(at) || !only(o, labelsKeys)) return undefined;
      const labels = labelsOf(o.labels);
      if (!labels) return undefined;
      return { type: "Labels", labels, by, at };
    }
    default:
      return undefined;
  }
}

// The text reader: the event types' canonical JSON, read without `JSON.parse`.
const QUOTE = 34;
const BACKSLASH = 92;
const SPACE = 32;
/** Where the reader stands in the text it reads (one text at a time: no allocation a call). */
let at = 0;

/** Reads `"…"` at `at` (with at least `min` characters, none an escape or a control character), or undefined. */
function str(text: string, min: number): string | undefined {
  if (text.charCodeAt(at) !== QUOTE) return undefined;
  const from = at + 1;
  let p = from;
  for (let c = text.charCodeAt(p); c !== QUOTE; c = text.charCodeAt(++p))
    // NaN (the end of the text) fails both tests; an escape is left to JSON.parse.
    if (!(c >= SPACE) || c === BACKSLASH) return undefined;
  if (p - from < min) return undefined;
  at = p + 1;
  return text.slice(from, p);
}
/** Reads `literal` at `at`; false when the text has something else there. */
function lit(text: string, literal: string): boolean {
  if (!text.startsWith(literal, at)) return false;
  at += literal.length;
  return true;
}
/** Reads `null` or a string of at least `min` characters; false (not undefined) when neither is there. */
function nullable(text: string, min: number): string | null | false {
  if (lit(text, "null")) return null;
  return str(text, min) ?? false;
}
/** The `by` and `at` that {@link byAt} read last. */
let by = "";
let time = "";
/** Reads `"by":"…","at":"…"}` to the end of the text: the tail of a command and of a labels patch. */
function byAt(text: string): boolean {
  if (!lit(text, '"by":')) return false;
  const b = str(text, 1);
  if (b === undefined || !lit(text, ',"at":')) return false;
  const t = str(text, 1);
  if (t === undefined || !lit(text, "}") || at !== text.length) return false;
  by = b;
  time = t;
  return true;
}
/** Reads a labels patch `{"k":"v","gone":null},`; undefined for a repeated or `__proto__` key. */
function labelsAt(text: string): Record<string, string | null> | undefined {
  if (!lit(text, "{")) return undefined;
  const out: Record<string, string | null> = {};
  if (lit(text, "},")) return out;
  do {
    const k = str(text, 0);
    // JSON.parse keeps a repeated key's last value at its first place: left to it, as `__proto__` is.
    if (k === undefined || k === "__proto__" || Object.hasOwn(out, k) || !lit(text, ":")) return undefined;
    const v = nullable(text, 0);
    if (v === false) return undefined;
    out[k] = v;
  } while (lit(text, ","));
  return lit(text, "},") ? out : undefined;
}

/** Reads the rest of a Status message, after `{"type":"Status",`. */
function statusAt(text: string): EventMessage | undefined {
  if (!lit(text, '"status":')) return undefined;
  const status = str(text, 1);
  if (status === undefined || !lit(text, ',"reason":')) return undefined;
  const reason = nullable(text, 1);
  if (reason === false) return undefined;
  let message: string | null | undefined;
  if (lit(text, ',"message":')) {
    const m = nullable(text, 0);
    if (m === false) return undefined;
    message = m;
  }
  let author: "orchestrator" | "informer";
  if (lit(text, ',"author":"orchestrator",')) author = "orchestrator";
  else if (lit(text, ',"author":"informer",')) author = "informer";
  else return undefined;
  if (!lit(text, '"at":')) return undefined;
  const t = str(text, 1);
  if (t === undefined || !lit(text, "}") || at !== text.length) return undefined;
  return message === undefined
    ? { type: "Status", status, reason, author, at: t }
    : { type: "Status", status, reason, message, author, at: t };
}

/**
 * The event of a record value written as `encodeEvent` writes a Status, Labels, Terminate, Delete
 * or Uploaded message (`JSON.stringify`: the schema's key order, no whitespace), read straight from
 * the text; undefined for anything else (whitespace, another key order, an escape in a string, a
 * Create, a malformed message), which the caller parses and decodes as before. It returns what
 * {@link fastEvent} (and so zod) returns for `JSON.parse(text)`, and accepts nothing zod refuses:
 * a property test holds it to zod on valid, near-valid and mangled texts.
 *
 * @example
 * ```ts
 * scanEvent('{"type":"Delete","by":"alice","at":"2026-01-01T00:00:00Z"}')?.type; // "Delete"
 * scanEvent('{ "type": "Delete", "by": "alice", "at": "2026-01-01T00:00:00Z" }'); // undefined: JSON.parse reads it
 * ```
 */
export function scanEvent(text: string): EventMessage | undefined {
  at = 0;
  if (!lit(text, '{"type":"')) return undefined;
  if (lit(text, 'Status",')) return statusAt(text);
  if (lit(text, 'Labels","labels":')) {
    const labels = labelsAt(text);
    return labels && byAt(text) ? { type: "Labels", labels, by, at: time } : undefined;
  }
  const type = lit(text, 'Terminate",')
    ? "Terminate"
    : lit(text, 'Delete",')
      ? "Delete"
      : lit(text, 'Uploaded",')
        ? "Uploaded"
        : undefined;
  return type && byAt(text) ? { type, by, at: time } : undefined;
}

/**
 * True when every key of `labels` is a label key and every value a string of at most 63
 * characters: what the labels schema accepts. False leaves the decision (and the error) to zod.
 *
 * @example
 * ```ts
 * validLabels({ team: "a" }); // true
 * validLabels({ "-bad": "v" }); // false
 * ```
 */
export function validLabels(labels: Readonly<Record<string, unknown>>): boolean {
  for (const k in labels) {
    const v = labels[k];
    if (typeof v !== "string" || v.length > 63 || !labelKeyPattern.test(k)) return false;
  }
  return true;
}
