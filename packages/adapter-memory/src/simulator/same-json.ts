/**
 * Whether two values serialise to the same JSON text, told without writing the texts when a walk
 * of the values can tell: the invariant checks compare whole entities this way, tens of thousands
 * of them at the end of a large run.
 *
 * @module
 */

const plain = (o: object): boolean => {
  const proto = Object.getPrototypeOf(o);
  return (
    (proto === Object.prototype || proto === null) && typeof (o as { toJSON?: unknown }).toJSON !== "function"
  );
};

/**
 * True only when `JSON.stringify(a) === JSON.stringify(b)` surely holds: equal strings, booleans,
 * finite numbers or nulls; arrays of the same length with such elements; plain objects with the
 * same own keys in the same order (the order `JSON.stringify` writes them in) and such values.
 * False means "not sure" (a difference, or something the walk leaves to `JSON.stringify`: an
 * undefined member, a function, a class instance, a `toJSON`, a non-finite number).
 */
function surelySame(a: unknown, b: unknown): boolean {
  if (typeof a === "string" || typeof a === "boolean") return a === b;
  if (typeof a === "number") return a === b && Number.isFinite(a); // -0 and 0 both write "0"
  if (a === null) return b === null;
  if (typeof a !== "object" || typeof b !== "object" || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length || !plainArray(a) || !plainArray(b)) return false;
    for (let i = 0; i < a.length; i++) if (!surelySame(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || !plain(a) || !plain(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i]) return false;
    if (!surelySame((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

const plainArray = (a: readonly unknown[]): boolean =>
  Object.getPrototypeOf(a) === Array.prototype && typeof (a as { toJSON?: unknown }).toJSON !== "function";

/**
 * `JSON.stringify(a) === JSON.stringify(b)`, exactly: a walk of the two values answers when it is
 * sure, and the texts are written and compared only when it is not.
 *
 * @example
 * ```ts
 * sameJson({ a: 1, b: [null] }, { a: 1, b: [null] }); // true
 * sameJson({ a: 1, b: 2 }, { b: 2, a: 1 }); // false: the texts differ in order
 * ```
 */
export const sameJson = (a: unknown, b: unknown): boolean =>
  a === b || surelySame(a, b) || JSON.stringify(a) === JSON.stringify(b);
