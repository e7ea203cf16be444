import { DecodeError, type DecodeIssue, decode } from "@phasekit/core";
import { z } from "zod";
import { durationExpected, parseDuration } from "../duration.js";
import type { InvariantResult } from "../invariants.js";

/**
 * What the Run:ai and Ray engines share with the scenario format and with each other: the field
 * schemas their scenario sections use, and the shape of what they report.
 *
 * @module
 */

/** A duration field (`30s`, `1m`, `1h30m`, or seconds), decoded to milliseconds. */
export const durationField = z.unknown().transform((input, ctx) => {
  const ms = parseDuration(input);
  if (ms === undefined) {
    ctx.addIssue({ code: "custom", message: durationExpected, input });
    return z.NEVER;
  }
  return ms;
});

const epoch = Date.UTC(2026, 0, 1);

/** The RFC 3339 time of a simulated instant (milliseconds after 2026-01-01T00:00:00Z, as the Dyff simulation counts). */
export const isoAt = (ms: number): string => new Date(epoch + ms).toISOString();

/** The same instant in seconds since the Unix epoch (Python's `time.time()`, what Ray's stats hold). */
export const epochSeconds = (ms: number): number => (epoch + ms) / 1000;

/** A whole number of GPUs (or retries, or failures): 0 or more. */
export const countField = z.number().int("a whole number").nonnegative("0 or more");

/** Something a system engine did besides a status change (a refusal, a preemption, an outage). */
export interface SystemNote {
  /** Simulated seconds since the start. */
  readonly t: number;
  readonly system: "runai" | "ray" | "wallaroo";
  /** The job or workflow concerned, or `-` for the whole system (an outage, a cluster restart). */
  readonly id: string;
  readonly text: string;
}

/** An invariant's result from the problems found (the first five shown). */
export const invariant = (name: string, problems: readonly string[]): InvariantResult => ({
  name,
  held: problems.length === 0,
  detail:
    problems.length === 0 ? null : problems.slice(0, 5).join("; ") + (problems.length > 5 ? "; ..." : ""),
});

/** A decoded item of a scenario list, with where it sits in the file (`["resources", 3]`). */
export interface Located<T> {
  readonly path: PropertyKey[];
  readonly value: T;
}

/**
 * Decodes with `schema` the items of a scenario list (`resources`, `events`) that `want` picks,
 * leaving the others alone; each problem goes to `issues` at its path in the file.
 *
 * @example
 * ```ts
 * const issues: DecodeIssue[] = [];
 * decodeItems(input.events, "events", wallarooTaskEvent, isWallarooTasksItem, "scenario", issues);
 * // a bad `at` in events[2]: issues[0].path === "events[2].at"
 * ```
 */
export function decodeItems<S extends z.ZodType>(
  list: unknown,
  key: string,
  schema: S,
  want: (item: unknown) => boolean,
  subject: string,
  issues: DecodeIssue[],
): Located<z.output<S>>[] {
  const out: Located<z.output<S>>[] = [];
  if (!Array.isArray(list)) return out;
  list.forEach((item, index) => {
    if (!want(item)) return;
    const decoded = decode(schema, item, subject);
    if (decoded instanceof DecodeError)
      issues.push(
        ...decoded.issues.map((i) => ({
          ...i,
          path: `${key}[${index}]${i.path === "$" ? "" : i.path.startsWith("[") ? i.path : `.${i.path}`}`,
        })),
      );
    else out.push({ path: [key, index], value: decoded });
  });
  return out;
}
