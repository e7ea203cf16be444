import { type DyffJson, type ServedKind, valueAt } from "./kinds.js";
import { problem } from "./problem.js";

/**
 * Dyff's query parameters (`dyff.schema.requests.*QueryRequest`): equality on `id`, `account`,
 * `status`, `reason` and the kind's own fields, `labels` (a JSON object: all must match), `query`
 * (a JSON object of dotted paths and values, or a list of them: any may match) and `limit`. The
 * client sends every parameter of its model, unset ones empty: an empty value is no constraint.
 * `order`, `orderBy` and `after` are accepted and ignored (results come in id order).
 *
 * @module
 */

/** A decoded query. */
export interface Query {
  /** Dotted path -> the value it must equal. */
  readonly equal: ReadonlyMap<string, string>;
  readonly labels: Readonly<Record<string, string>>;
  /** Any of these must match (empty: no constraint). */
  readonly anyOf: readonly Readonly<Record<string, unknown>>[];
  readonly account?: string;
  readonly limit?: number;
}

/** Parameters every kind takes: the equality ones by the path they compare. */
export const commonFilters: Readonly<Record<string, string>> = {
  id: "id",
  account: "account",
  status: "status",
  reason: "reason",
};
/** Parameters accepted besides the filters. */
export const otherParameters = ["query", "labels", "limit", "order", "orderBy", "after"] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function json(name: string, text: string, expected: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw problem(422, name, text, expected);
  }
}

/**
 * Decodes the query string of `GET /<resource>`; a 422 names an unknown or malformed parameter.
 *
 * @example
 * ```ts
 * queryOf(evaluations, new URLSearchParams("status=Complete&labels=%7B%22team%22%3A%22a%22%7D&id="));
 * ```
 */
export function queryOf(kind: ServedKind, params: URLSearchParams): Query {
  const filters = { ...commonFilters, ...kind.filters };
  const equal = new Map<string, string>();
  let labels: Record<string, string> = {};
  let anyOf: Record<string, unknown>[] = [];
  let account: string | undefined;
  let limit: number | undefined;
  for (const [name, value] of params) {
    const path = Object.hasOwn(filters, name) ? filters[name] : undefined;
    if (path === undefined && !(otherParameters as readonly string[]).includes(name))
      throw problem(
        422,
        name,
        value,
        `a query parameter of ${kind.resource}: ${[...Object.keys(filters), ...otherParameters].join(", ")}`,
      );
    if (value === "") continue;
    if (path !== undefined) {
      equal.set(path, value);
      if (name === "account") account = value;
    } else if (name === "labels") {
      const parsed = json(name, value, "a JSON object of label values");
      if (!isObject(parsed) || Object.values(parsed).some((v) => typeof v !== "string"))
        throw problem(422, name, value, "a JSON object of label values (strings)");
      labels = parsed as Record<string, string>;
    } else if (name === "query") {
      const parsed = json(name, value, "a JSON object of field paths and values, or a list of them");
      const list = Array.isArray(parsed) ? parsed : [parsed];
      if (!list.every(isObject))
        throw problem(422, name, value, "a JSON object of field paths and values, or a list of them");
      anyOf = list;
    } else if (name === "limit") {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw problem(422, name, value, "a whole number of at least 1");
      limit = n;
    }
  }
  return {
    equal,
    labels,
    anyOf,
    ...(account !== undefined ? { account } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}

const same = (actual: unknown, expected: unknown) =>
  actual === expected || (actual !== undefined && JSON.stringify(actual) === JSON.stringify(expected));

/**
 * Whether a Dyff object matches the query.
 *
 * @example
 * ```ts
 * selects(queryOf(evaluations, new URLSearchParams("status=Complete")), dyffObject);
 * ```
 */
export function selects(query: Query, object: DyffJson): boolean {
  for (const [path, value] of query.equal) if (String(valueAt(object, path) ?? "") !== value) return false;
  const labels = (object.labels ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(query.labels)) if (labels[k] !== v) return false;
  if (query.anyOf.length === 0) return true;
  return query.anyOf.some((q) => Object.entries(q).every(([path, v]) => same(valueAt(object, path), v)));
}
