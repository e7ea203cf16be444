import type * as z from "zod";
import { DecodeError, type DecodeIssue } from "./lifecycle/errors.js";

/** Renders a zod path the way a user writes it: `resources[3].kind`, or `$` for the root. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? String(p) : `.${String(p)}`;
  return out === "" ? "$" : out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** Zod's own English wording (its default messages); a message we wrote ourselves is kept as it is. */
const zodWording = /^(Invalid|Too (small|big)|Unrecognized key|Expected)\b/;

const typeNames: Readonly<Record<string, string>> = {
  number: "a number",
  int: "a whole number",
  bigint: "a whole number",
  string: "a string",
  boolean: "true or false",
  object: "an object",
  record: "an object",
  array: "a list",
  tuple: "a list",
  null: "null",
  undefined: "nothing",
  date: "a date",
  map: "a map",
  set: "a set",
  nan: "NaN",
  never: "no value here",
};

const formatNames: Readonly<Record<string, string>> = {
  datetime: "an ISO 8601 date-time such as 2024-01-31T12:00:00Z",
  date: "an ISO 8601 date such as 2024-01-31",
  time: "an ISO 8601 time such as 12:00:00",
  duration: "an ISO 8601 duration such as PT1H",
  email: "an email address",
  url: "a URL",
  uuid: "a UUID",
  base64: "base64 text",
  ipv4: "an IPv4 address",
  ipv6: "an IPv6 address",
};

/** "a" or "an" before a word, by its first letter (a vowel sound: "an InferenceService"). */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

type Issue = z.core.$ZodIssue;

const nounOf = (origin: string) =>
  origin === "string"
    ? "characters"
    : origin === "array" || origin === "set"
      ? "items"
      : origin === "file"
        ? "bytes"
        : "";

/** A bound in words: `a number >= 0`, `a string of at least 1 character`, `a list of at most 3 items`. */
function bound(origin: string, limit: unknown, op: ">=" | ">" | "<=" | "<", exact: boolean): string {
  const noun = nounOf(origin);
  if (noun === "") {
    const what =
      origin === "date" ? "a date" : origin === "bigint" || origin === "int" ? "a whole number" : "a number";
    return `${what} ${op} ${String(limit)}`;
  }
  const n = Number(limit);
  const thing = origin === "string" ? "a string" : origin === "file" ? "a file" : "a list";
  const unit = n === 1 ? noun.slice(0, -1) : noun;
  if (exact) return `${thing} of exactly ${n} ${unit}`;
  if (op === ">=" && n === 1) return `a non-empty ${thing.slice(2)}`;
  const words = { ">=": "at least", ">": "more than", "<=": "at most", "<": "fewer than" }[op];
  return `${thing} of ${words} ${n} ${unit}`;
}

/** What was expected, in our words, for one zod issue (its path and value are the caller's). */
export function expectedOf(issue: Issue, value: unknown): string {
  if (!zodWording.test(issue.message)) return issue.message; // written by us, e.g. with `{ error }`
  switch (issue.code) {
    case "invalid_type": {
      const name = typeNames[issue.expected] ?? article(issue.expected);
      return value === undefined ? `${name} (the field is required)` : name;
    }
    case "invalid_value":
      return issue.values.length === 1
        ? (JSON.stringify(issue.values[0]) ?? String(issue.values[0]))
        : `one of ${issue.values.map(String).join(", ")}`;
    case "too_small":
      return bound(issue.origin, issue.minimum, issue.inclusive ? ">=" : ">", issue.exact === true);
    case "too_big":
      return bound(issue.origin, issue.maximum, issue.inclusive ? "<=" : "<", issue.exact === true);
    case "invalid_format": {
      const f = issue.format;
      if (f === "regex" || f === undefined) return `a string matching ${issue.pattern ?? "the pattern"}`;
      if (f === "starts_with")
        return `a string starting with ${JSON.stringify((issue as { prefix?: string }).prefix)}`;
      if (f === "ends_with")
        return `a string ending with ${JSON.stringify((issue as { suffix?: string }).suffix)}`;
      if (f === "includes")
        return `a string containing ${JSON.stringify((issue as { includes?: string }).includes)}`;
      return formatNames[f] ?? article(`${f} string`);
    }
    case "not_multiple_of":
      return `a multiple of ${String(issue.divisor)}`;
    case "unrecognized_keys":
      return "no such field";
    case "invalid_key":
      return `a key that is ${issue.issues.map((i) => expectedOf(i as Issue, value)).join(" and ")}`;
    case "invalid_element":
      return `an element that is ${issue.issues.map((i) => expectedOf(i as Issue, value)).join(" and ")}`;
    case "invalid_union": {
      const options = (issue as { options?: readonly unknown[] }).options;
      if (options) return `one of ${options.map(String).join(", ")}`;
      const branches = issue.errors.map((branch) =>
        branch
          .map((i) =>
            i.path.length === 0
              ? expectedOf(i as Issue, value)
              : `${formatPath(i.path)}: ${expectedOf(i as Issue, valueAt(value, i.path))}`,
          )
          .join(", "),
      );
      return [...new Set(branches)].join(", or ") || "one of the accepted shapes";
    }
    default:
      return "a valid value";
  }
}

/** Turns zod's issues into ours: each names the path, the value found there and what was expected. */
export function toDecodeIssues(input: unknown, error: z.ZodError): DecodeIssue[] {
  const issues: DecodeIssue[] = [];
  for (const issue of error.issues as Issue[]) {
    // A bad record key is shown as the key itself, not the value under it.
    const value = issue.code === "invalid_key" ? issue.path.at(-1) : valueAt(input, issue.path);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        issues.push({
          path: formatPath([...issue.path, key]),
          value: valueAt(value, [key]),
          expected: "no such field",
        });
    } else issues.push({ path: formatPath(issue.path), value, expected: expectedOf(issue, value) });
  }
  return issues;
}

/**
 * Parses `input` with `schema`, returning the value or a {@link DecodeError} that lists every problem.
 * Never throws: bad input is data, not an exception.
 */
export function decode<S extends z.ZodType>(
  schema: S,
  input: unknown,
  subject: string,
): z.output<S> | DecodeError {
  const result = schema.safeParse(input);
  return result.success ? result.data : new DecodeError(subject, toDecodeIssues(input, result.error));
}
