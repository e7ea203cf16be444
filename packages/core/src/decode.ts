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

/** Turns zod's issues into ours: each names the path, the value found there and what was expected. */
export function toDecodeIssues(input: unknown, error: z.ZodError): DecodeIssue[] {
  const issues: DecodeIssue[] = [];
  for (const issue of error.issues) {
    const value = valueAt(input, issue.path);
    switch (issue.code) {
      case "invalid_value":
        issues.push({
          path: formatPath(issue.path),
          value,
          expected: `one of ${issue.values.map(String).join(", ")}`,
        });
        break;
      case "invalid_type":
        issues.push({
          path: formatPath(issue.path),
          value,
          expected: issue.message.startsWith("Invalid input") ? issue.expected : issue.message,
        });
        break;
      case "unrecognized_keys":
        for (const key of issue.keys) {
          issues.push({
            path: formatPath([...issue.path, key]),
            value: valueAt(value, [key]),
            expected: "no such field",
          });
        }
        break;
      default:
        issues.push({ path: formatPath(issue.path), value, expected: issue.message });
    }
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
