import { labelKeyPattern } from "../systems/dyff/entity.js";
import type { EventMessage } from "./messages.js";
import { JsonTextReader } from "./text-reader.js";

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

// The events' canonical JSON, read without `JSON.parse`.
const r = new JsonTextReader();
/** The `by` and `at` that {@link byAt} read last. */
let by = "";
let time = "";
/** Reads `"by":"…","at":"…"}` to the end of the text: the tail of a command and of a labels patch. */
function byAt(): boolean {
  if (!r.lit('"by":')) return false;
  const b = r.str(1);
  if (b === undefined || !r.lit(',"at":')) return false;
  const t = r.str(1);
  if (t === undefined || !r.lit("}") || !r.done()) return false;
  by = b;
  time = t;
  return true;
}

/** Reads the rest of a Status message, after `{"type":"Status",`. */
function statusAt(): EventMessage | undefined {
  if (!r.lit('"status":')) return undefined;
  const status = r.str(1);
  if (status === undefined || !r.lit(',"reason":')) return undefined;
  const reason = r.nullable(1);
  if (reason === false) return undefined;
  let message: string | null | undefined;
  if (r.lit(',"message":')) {
    const m = r.nullable(0);
    if (m === false) return undefined;
    message = m;
  }
  let author: "orchestrator" | "informer";
  if (r.lit(',"author":"orchestrator",')) author = "orchestrator";
  else if (r.lit(',"author":"informer",')) author = "informer";
  else return undefined;
  if (!r.lit('"at":')) return undefined;
  const t = r.str(1);
  if (t === undefined || !r.lit("}") || !r.done()) return undefined;
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
  r.start(text);
  if (!r.lit('{"type":"')) return undefined;
  if (r.lit('Status",')) return statusAt();
  if (r.lit('Labels","labels":')) {
    const labels = r.labels(true);
    if (!labels || !r.lit(",")) return undefined;
    return byAt() ? { type: "Labels", labels, by, at: time } : undefined;
  }
  const type = r.lit('Terminate",')
    ? "Terminate"
    : r.lit('Delete",')
      ? "Delete"
      : r.lit('Uploaded",')
        ? "Uploaded"
        : undefined;
  return type && byAt() ? { type, by, at: time } : undefined;
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
