import { formatPath } from "../../decode.js";
import { DecodeError, type DecodeIssue } from "../../lifecycle/errors.js";

/** A JSON value, as Ray stores user metadata (`json.dumps`). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;
/** A plain object of JSON values: what `user_metadata` must be. */
export type JsonObject = { readonly [key: string]: JsonValue };

const VALUE = "a JSON value (string, finite number, boolean, null, array or plain object)";
const ROOT = "a plain object (a dict) whose values are JSON values";

const isPlainObject = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * Checks user metadata (Ray's `validate_user_metadata`: "metadata must be a dict" whose values are
 * "JSON serializable") and returns a copy of it. `undefined` and `null` mean none, `{}`, as Ray's
 * `None`. Every offending value is reported with its path, e.g. `metadata.k2[1]: got ..., expected a
 * JSON value`: functions, `undefined`, symbols, bigints, NaN and Infinity, class instances (Date,
 * Map ...) and cycles.
 *
 * @example
 * ```ts
 * rayUserMetadata({ step_k: "step_v" }); // { step_k: "step_v" }
 * rayUserMetadata({ when: new Date(0) }); // DecodeError: metadata.when: got "1970-...", expected a JSON value ...
 * ```
 */
export function rayUserMetadata(input: unknown, path = "metadata"): JsonObject | DecodeError {
  if (input === undefined || input === null) return {};
  const issues: DecodeIssue[] = [];
  if (typeof input !== "object" || Array.isArray(input) || !isPlainObject(input)) {
    return new DecodeError("Ray user metadata", [{ path, value: input, expected: ROOT }]);
  }
  const ancestors = new Set<object>();
  const copy = (value: unknown, at: readonly (string | number)[]): JsonValue => {
    const bad = (expected = VALUE): null => {
      issues.push({ path: formatPath(at), value, expected });
      return null;
    };
    if (value === null || typeof value === "string" || typeof value === "boolean") return value;
    if (typeof value === "number") return Number.isFinite(value) ? value : bad();
    if (typeof value !== "object") return bad();
    if (ancestors.has(value)) return bad(`${VALUE}, not a reference back to an enclosing value`);
    if (Array.isArray(value)) {
      ancestors.add(value);
      const out: JsonValue[] = [];
      for (let i = 0; i < value.length; i++) out.push(copy(value[i], [...at, i]));
      ancestors.delete(value);
      return out;
    }
    if (!isPlainObject(value)) return bad();
    ancestors.add(value);
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(value)) {
      // defineProperty, so a key named "__proto__" stays an ordinary key.
      Object.defineProperty(out, key, {
        value: copy((value as Record<string, unknown>)[key], [...at, key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    ancestors.delete(value);
    return out;
  };
  const result = copy(input, [path]) as JsonObject;
  return issues.length === 0 ? result : new DecodeError("Ray user metadata", issues);
}
