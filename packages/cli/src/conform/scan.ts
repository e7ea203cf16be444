import { type Conformance, DecodeError, type Lifecycle } from "@phasekit/core";
import { BACKSLASH, CR, MINUS, NINE, QUOTE, SPACE, TAB, ZERO } from "./chars.js";
import type { ReaderOptions } from "./formats.js";

/**
 * The fast path of the phasekit JSONL reader: reads the status lines `simulate --format jsonl` writes
 * (`{"record":"status","version":1,"t":12,"system":"dyff","kind":"Evaluation","id":"e1","status":"Created","reason":null}`)
 * straight from the text, without `JSON.parse`, and judges them with {@link Conformance.checkLeaf}.
 *
 * It takes a line only when it is sure of it: exactly that key order, no whitespace between tokens, an
 * integer `t`, no escapes, no control characters, a known system, kind, status and reason, and a
 * legal direct step or a repeat. Anything else (another
 * record, an extra field, a string time, a Run:ai `Init:1/2`, a step worth showing, a violation, a line
 * that is not JSON) returns false having changed nothing, and the line goes through `JSON.parse` and the
 * reader as before: the same verdicts, the same errors naming the line and the field.
 */
export class PhasekitScanner {
  /** The system and kind of the last line taken, their leaves' tails, and whether the reader's filter skips them. */
  private system = "";
  private kind = "";
  /** `,"system":"<system>","kind":"<kind>","id":"`: what follows `t` on every line of this kind. */
  private header = "";
  private tails: Map<string, number> | undefined;
  private skip = false;

  constructor(
    private readonly conformance: Conformance,
    private readonly options: ReaderOptions,
  ) {}

  /** Reads and judges `buf[from, to)` (one line, without its newline); false when the line is not for the fast path. */
  line(buf: string, from: number, to: number): boolean {
    // Constant text is compared as a slice (a view, not a copy): V8 compares two strings faster than
    // startsWith or charCodeAt walk one.
    if (buf.slice(from, from + PREFIX.length) !== PREFIX) return false;
    let p = from + PREFIX.length;
    // t: an integer of at most 15 digits (exact as a double); fractions and exponents go the slow way.
    let c = buf.charCodeAt(p);
    const negative = c === MINUS;
    if (negative) c = buf.charCodeAt(++p);
    if (c < ZERO || c > NINE) return false;
    let t = c - ZERO;
    const digits = p;
    c = buf.charCodeAt(++p);
    if (t === 0) {
      if (c >= ZERO && c <= NINE) return false; // a leading zero is not JSON
    } else
      while (c >= ZERO && c <= NINE) {
        t = t * 10 + (c - ZERO);
        c = buf.charCodeAt(++p);
      }
    if (p - digits > 15) return false;
    // system, kind and the id's key: as on the last line taken, compared at once; else looked up.
    if (
      (this.tails === undefined || buf.slice(p, p + this.header.length) !== this.header) &&
      !this.lookup(buf, p, to)
    )
      return false;
    p += this.header.length;
    const idEnd = buf.indexOf('"', p);
    if (idEnd <= p || idEnd >= to) return false;
    const id = buf.slice(p, idEnd);
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      if (c < SPACE || c === BACKSLASH) return false; // not JSON, or an escape: JSON.parse says
    }
    // Only JSON whitespace may follow the object (a CR of CRLF line ends, trailing spaces).
    let end = to;
    for (
      let w = buf.charCodeAt(end - 1);
      w === SPACE || w === TAB || w === CR;
      w = buf.charCodeAt(--end - 1)
    );
    // The rest is one of the kind's leaves, as the simulator writes it: `","status":"…","reason":…}`.
    const leaf = this.tails!.get(buf.slice(idEnd, end));
    if (leaf === undefined) return false;
    if (this.skip) return true; // well-formed, and the reader's --system/--kind filter drops it
    return this.conformance.checkLeaf(this.system, this.kind, id, leaf, negative ? -t : t) !== undefined;
  }

  /** A line of another system or kind than the last line taken: looks up its lifecycle (once a change). */
  private lookup(buf: string, p: number, to: number): boolean {
    if (!buf.startsWith(SYSTEM, p)) return false;
    const s = stringEnd(buf, p + SYSTEM.length, to);
    if (s <= p + SYSTEM.length || !buf.startsWith(KIND, s + 1)) return false;
    const k = stringEnd(buf, s + 1 + KIND.length, to);
    if (k <= s + 1 + KIND.length || !buf.startsWith(ID, k + 1)) return false;
    const system = buf.slice(p + SYSTEM.length, s);
    const kind = buf.slice(s + 1 + KIND.length, k);
    const lc = this.conformance.lifecycle(system, kind);
    if (lc instanceof DecodeError) return false;
    this.system = system;
    this.kind = kind;
    this.header = `${SYSTEM}${system}"${KIND}${kind}"${ID}`;
    this.tails = tails(lc);
    this.skip =
      (this.options.system !== undefined && system !== this.options.system) ||
      (this.options.kind !== undefined && kind !== this.options.kind);
    return true;
  }
}

const PREFIX = '{"record":"status","version":1,"t":';
const SYSTEM = ',"system":"';
const KIND = ',"kind":"';
const ID = ',"id":"';
const STATUS = '","status":"';

/**
 * Where the JSON string starting at `p` (after its opening quote) ends: the index of its closing
 * quote, or -1 when it does not end before `to`, holds an escape (left to JSON.parse) or a control
 * character (not JSON).
 */
function stringEnd(buf: string, p: number, to: number): number {
  for (; p < to; p++) {
    const c = buf.charCodeAt(p);
    if (c === QUOTE) return p;
    if (c < SPACE || c === BACKSLASH) return -1;
  }
  return -1;
}

/**
 * The text that ends a status line of each leaf of one kind, from the id's closing quote, to the leaf:
 * `","status":"Created","reason":null,"phase":"Pending"}`, `…,"reason":"QuotaLimit","phase":"Pending"}`,
 * or the same without the phase.
 */
function tails(lifecycle: Lifecycle): Map<string, number> {
  const out = new Map<string, number>();
  lifecycle.leaves.forEach((l, leaf) => {
    // A status or reason that JSON would escape is left to JSON.parse (the fast path reads no escapes).
    const plain = (s: string) => JSON.stringify(s) === `"${s}"`;
    if (!plain(l.status) || (l.reason !== null && !plain(l.reason))) return;
    const head = `${STATUS}${l.status}","reason":${l.reason === null ? "null" : `"${l.reason}"`}`;
    // As `simulate` writes it since issue 18 (the status's common phase last), and without the phase,
    // as earlier versions wrote it. A line with any other phase is left to JSON.parse.
    out.set(`${head},"phase":"${lifecycle.spec.statuses[l.status]!.phase}"}`, leaf);
    out.set(`${head}}`, leaf);
  });
  return out;
}
