import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, NEWLINE, OPEN_BRACE, OPEN_BRACKET, QUOTE } from "./chars.js";

/**
 * Splits a stream of text into JSON values as the text arrives, without reading it all: JSON Lines
 * (one value a line: split at newlines, the fast path), concatenated JSON (`kubectl get -w -o json`
 * prints whole pretty-printed objects one after another), a JSON array (its elements, one by one), or
 * plain text lines (tables as an SDK prints them). What kind it is shows in the first bytes.
 *
 * @module
 */

/** Input that cannot be read: where (line), which field, what was there and what was expected. */
export class ReadError extends Error {
  override readonly name = "ReadError";
  constructor(
    readonly line: number,
    readonly field: string,
    readonly value: string,
    readonly expected: string,
  ) {
    super(`line ${line}: ${field}: got ${value}, expected ${expected}`);
  }
}

/** How the input is laid out, decided from its first bytes. */
export type Layout = "lines" | "concatenated" | "array" | "text";

/** What the splitter hands on: a parsed JSON value, or a line of text, with its (first) line number. */
export interface Sink {
  json(value: unknown, line: number): void;
  text(line: string, number: number): void;
  /**
   * A fast path for JSON Lines: handles `text[from, to)` (one line, without its newline) in place and
   * returns true, or returns false having changed nothing, and the line is parsed and passed to `json`.
   */
  line?(text: string, from: number, to: number, number: number): boolean;
}

const excerpt = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);

/**
 * Push text in with {@link Splitter.push}, as it arrives; call {@link Splitter.end} at the end. Values
 * go to the sink synchronously, so a caller pays no promise per record. Memory: the unfinished value
 * only.
 */
export class Splitter {
  layout: Layout | undefined;
  private buffer = "";
  /** The line number of `buffer[0]`. */
  private line = 1;
  // The concatenated/array scanner's state, kept across chunks.
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private startLine = 0;
  /** The line number at `buffer[scanned]`. */
  private scanLine = 1;
  private arrayOpen = false;

  constructor(private readonly sink: Sink) {}

  push(chunk: string): void {
    this.buffer = this.buffer.length === 0 ? chunk : this.buffer + chunk;
    if (this.layout === undefined && !this.detect()) return;
    if (this.layout === "lines" || this.layout === "text") this.lines(false);
    else this.scan();
  }

  end(): void {
    if (this.layout === undefined) {
      if (this.buffer.trim() === "") return;
      this.layout = /^\s*[[{]/.test(this.buffer) ? "concatenated" : "text";
    }
    if (this.layout === "lines" || this.layout === "text") this.lines(true);
    else {
      this.scan();
      if (this.depth > 0 || this.buffer.slice(this.scanned).trim() !== "")
        throw new ReadError(
          this.start >= 0 ? this.startLine : this.scanLine,
          "$",
          "the end of the input",
          this.arrayOpen ? "the rest of the JSON array, up to ]" : "the rest of the JSON value",
        );
    }
  }

  /** Decides the layout once the first line is complete (or the input is not JSON at all). */
  private detect(): boolean {
    const first = this.buffer.search(/\S/);
    if (first < 0) return false;
    const c = this.buffer.charCodeAt(first);
    if (c === OPEN_BRACKET) {
      this.layout = "array";
      return true;
    }
    if (c !== OPEN_BRACE) {
      this.layout = "text";
      return true;
    }
    const nl = this.buffer.indexOf("\n", first);
    if (nl < 0) return false;
    try {
      JSON.parse(this.buffer.slice(first, nl));
      this.layout = "lines";
    } catch {
      this.layout = "concatenated";
    }
    return true;
  }

  private lines(final: boolean): void {
    const buf = this.buffer;
    let from = 0;
    let nl = buf.indexOf("\n", from);
    const json = this.layout === "lines";
    const fast = json && this.sink.line !== undefined;
    while (nl >= 0 || (final && from < buf.length)) {
      const to = nl >= 0 ? nl : buf.length;
      if (fast && this.sink.line!(buf, from, to, this.line)) {
        this.line++;
        from = to + 1;
        nl = nl >= 0 ? buf.indexOf("\n", from) : -1;
        continue;
      }
      const text = buf.slice(from, to);
      if (json) this.parseLine(text, this.line);
      else this.sink.text(text, this.line);
      this.line++;
      from = to + 1;
      nl = nl >= 0 ? buf.indexOf("\n", from) : -1;
    }
    this.buffer = from >= buf.length ? "" : buf.slice(from);
  }

  private parseLine(text: string, line: number): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      if (text.trim() === "") return;
      throw new ReadError(
        line,
        "$",
        excerpt(text),
        `one JSON value on the line (${(error as Error).message})`,
      );
    }
    this.sink.json(value, line);
  }

  /** Scans brace depth (outside strings) and hands on each top-level value (array elements in array layout). */
  private scan(): void {
    const buf = this.buffer;
    const base = this.layout === "array" ? 1 : 0;
    let i = this.scanned;
    for (; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c === NEWLINE) this.scanLine++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (base === 1 && !this.arrayOpen) {
          this.arrayOpen = true;
          this.depth = 1;
          continue;
        }
        if (this.depth === base) {
          this.start = i;
          this.startLine = this.scanLine;
        }
        this.depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === base && this.start >= 0) {
          const text = buf.slice(this.start, i + 1);
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch (error) {
            throw new ReadError(
              this.startLine,
              "$",
              excerpt(text),
              `a JSON value (${(error as Error).message})`,
            );
          }
          this.start = -1;
          this.sink.json(value, this.startLine);
        } else if (this.depth < base) {
          if (base === 1 && this.depth === 0) {
            this.arrayOpen = false;
            continue;
          }
          throw new ReadError(this.scanLine, "$", excerpt(String.fromCharCode(c)), "a JSON value");
        }
      } else if (this.depth === base && c > 32 && !((base === 1 && c === 44) /* , */)) {
        throw new ReadError(
          this.scanLine,
          "$",
          excerpt(buf.slice(i, i + 20)),
          base === 1 ? "a JSON object in the array" : "a JSON object",
        );
      }
    }
    // Drop what is done; keep the unfinished value (its start moves to 0).
    if (this.start >= 0) {
      this.buffer = buf.slice(this.start);
      this.start = 0;
      this.line = this.startLine;
    } else {
      this.buffer = "";
      this.line = this.scanLine;
    }
    this.scanned = this.buffer.length;
  }
}
