/**
 * For the streaming readers' tests: a text cut into the chunks a stream may hand over.
 *
 * @module
 */

/**
 * Cuts `text` at the given offsets (any, sorted or not; each taken modulo the text's length + 1).
 *
 * @example
 * ```ts
 * cut("abcd", [2]); // ["ab", "cd"]
 * ```
 */
export function cut(text: string, at: readonly number[]): string[] {
  const points = [...new Set(at.map((n) => n % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const p of points) {
    out.push(text.slice(from, p));
    from = p;
  }
  out.push(text.slice(from));
  return out;
}
