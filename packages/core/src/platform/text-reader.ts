/**
 * A reader of JSON text as `JSON.stringify` writes it (no whitespace, keys in a known order), for
 * the event decode's fast paths: it reads only strings without escapes or control characters and
 * says "not here" (undefined, false) at anything else, so that the caller leaves the whole text to
 * `JSON.parse` and zod. One reader reads one text at a time, allocating nothing but what it returns.
 *
 * @module
 */

const QUOTE = 34;
const BACKSLASH = 92;
const SPACE = 32;

/**
 * A cursor over one text: `start`, then read tokens in order; each read moves past what it read.
 *
 * @example
 * ```ts
 * const r = new JsonTextReader();
 * r.start('{"by":"alice"}');
 * r.lit('{"by":') && r.str(1) === "alice" && r.lit("}") && r.done(); // true
 * ```
 */
export class JsonTextReader {
  private text = "";
  /** Where the next read starts. */
  at = 0;

  /** Reads `text` from its start. */
  start(text: string): void {
    this.text = text;
    this.at = 0;
  }

  /** True once every character is read. */
  done(): boolean {
    return this.at === this.text.length;
  }

  /** Reads `literal`; false when the text has something else here. */
  lit(literal: string): boolean {
    if (!this.text.startsWith(literal, this.at)) return false;
    this.at += literal.length;
    return true;
  }

  /** Reads `"…"` of at least `min` characters, none an escape or a control character; else undefined. */
  str(min: number): string | undefined {
    const text = this.text;
    if (text.charCodeAt(this.at) !== QUOTE) return undefined;
    const from = this.at + 1;
    let p = from;
    for (let c = text.charCodeAt(p); c !== QUOTE; c = text.charCodeAt(++p))
      // NaN (the end of the text) fails both tests; an escape is left to JSON.parse.
      if (!(c >= SPACE) || c === BACKSLASH) return undefined;
    if (p - from < min) return undefined;
    this.at = p + 1;
    return text.slice(from, p);
  }

  /** Reads `null` or a string of at least `min` characters; false (not undefined) when neither is here. */
  nullable(min: number): string | null | false {
    if (this.lit("null")) return null;
    return this.str(min) ?? false;
  }

  /**
   * Reads an object of strings (and nulls, with `nulls`): `{"k":"v","gone":null}`. Undefined for a
   * repeated key (JSON.parse keeps its last value at its first place) or a `__proto__` key (an own
   * key for JSON.parse, the prototype for an assignment): both are left to JSON.parse.
   */
  labels(nulls: true): Record<string, string | null> | undefined;
  labels(nulls: false): Record<string, string> | undefined;
  labels(nulls: boolean): Record<string, string | null> | undefined {
    if (!this.lit("{")) return undefined;
    const out: Record<string, string | null> = {};
    if (this.lit("}")) return out;
    do {
      const k = this.str(0);
      if (k === undefined || k === "__proto__" || Object.hasOwn(out, k) || !this.lit(":")) return undefined;
      const v = nulls ? this.nullable(0) : (this.str(0) ?? false);
      if (v === false) return undefined;
      out[k] = v;
    } while (this.lit(","));
    return this.lit("}") ? out : undefined;
  }
}
