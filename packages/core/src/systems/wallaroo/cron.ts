import { DecodeError, type DecodeIssue } from "../../lifecycle/errors.js";

/**
 * Wallaroo's Run Scheduled tasks run "based on the Kubernetes cronjob specifications" (seed), and a
 * Kubernetes CronJob parses its schedule with robfig/cron's standard parser: five fields, `*` and `?`,
 * numbers, JAN-DEC and SUN-SAT names, ranges, steps and lists; day-of-week 0-6; when both day fields
 * are restricted a day matches either. We validate that grammar here, so an error names the field
 * and the value, and compute the times from the fields' values as robfig does (day by day, in UTC).
 */

/** One of the five fields, in the order a cron expression writes them. */
export interface CronField {
  readonly name: "minute" | "hour" | "day-of-month" | "month" | "day-of-week";
  readonly min: number;
  readonly max: number;
  /** Names accepted in place of numbers (lower case), mapped to their numbers. */
  readonly names?: Readonly<Record<string, number>>;
  readonly expected: string;
}

const monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** The five fields of a Kubernetes CronJob schedule, with their bounds. */
export const wallarooCronFields: readonly CronField[] = [
  { name: "minute", min: 0, max: 59, expected: "a minute 0-59" },
  { name: "hour", min: 0, max: 23, expected: "an hour 0-23" },
  { name: "day-of-month", min: 1, max: 31, expected: "a day of the month 1-31" },
  {
    name: "month",
    min: 1,
    max: 12,
    names: Object.fromEntries(monthNames.map((n, i) => [n, i + 1])),
    expected: "a month 1-12 or JAN-DEC",
  },
  {
    name: "day-of-week",
    min: 0,
    max: 6,
    names: Object.fromEntries(dayNames.map((n, i) => [n, i])),
    expected: "a day of the week 0-6 (0 is Sunday) or SUN-SAT",
  },
];

/** A schedule that passed validation: the text as given, each field's values, and its normal form. */
export interface WallarooCron {
  readonly expression: string;
  /** The values each field matches, ascending (day-of-week: 0 is Sunday). */
  readonly values: Readonly<Record<CronField["name"], readonly number[]>>;
  /** True where the field is unrestricted (`*` or `?`), which decides how the two day fields combine. */
  readonly star: Readonly<Record<CronField["name"], boolean>>;
  /** The schedule in one normal form: `*` for an unrestricted field, else the field's values as a list. */
  readonly normalised: string;
}

const STEP = /^(.+)\/(\d+)$/;

/** Parses one item of a field (`*`, `5`, `MON-FRI`, `*\/15`, `10/5`); returns its canonical text or an issue. */
function parseItem(item: string, f: CronField, path: string): { text: string; star: boolean } | DecodeIssue {
  const bad = (expected: string): DecodeIssue => ({ path, value: item, expected });
  const number = (text: string): number | undefined => {
    const named = f.names?.[text.toLowerCase()];
    if (named !== undefined) return named;
    return /^\d+$/.test(text) ? Number(text) : undefined;
  };
  const stepMatch = STEP.exec(item);
  const base = stepMatch ? stepMatch[1]! : item;
  const step = stepMatch ? Number(stepMatch[2]) : 1;
  if (stepMatch && step < 1) return bad(`a step of at least 1 after "/" (${f.name})`);
  if (item.includes("/") && !stepMatch) return bad(`a step written "/N" with N a whole number (${f.name})`);
  if (base === "*" || base === "?") {
    // robfig keeps the "unrestricted" mark for */1 only; */2 restricts the field.
    return step === 1 ? { text: "*", star: true } : { text: `*/${step}`, star: false };
  }
  const [lowText, highText, ...more] = base.split("-");
  if (more.length > 0 || lowText === "") return bad(`${f.expected}, a range A-B, or *`);
  const low = number(lowText!);
  if (low === undefined || low < f.min || low > f.max) return bad(f.expected);
  if (highText === undefined) {
    // robfig reads "N/s" as "from N to the field's end, every s".
    return { text: stepMatch ? `${low}-${f.max}/${step}` : String(low), star: false };
  }
  const high = number(highText);
  if (high === undefined || high < f.min || high > f.max) return bad(`${f.expected} at the end of the range`);
  if (low > high) return bad(`a range whose start (${low}) is not after its end (${high}) (${f.name})`);
  return { text: stepMatch ? `${low}-${high}/${step}` : `${low}-${high}`, star: false };
}

/** The values a canonical field text matches. */
function expand(text: string, f: CronField): number[] {
  const out = new Set<number>();
  for (const item of text.split(",")) {
    const [base, stepText] = item.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    const [a, b] = base === "*" ? [f.min, f.max] : base!.split("-").map(Number);
    const end = b ?? (stepText === undefined ? a! : f.max);
    for (let v = a!; v <= end; v += step) out.add(v);
  }
  return [...out].sort((x, y) => x - y);
}

/**
 * Validates a 5-field cron expression as a Kubernetes CronJob reads it. Returns the parsed schedule,
 * or a {@link DecodeError} whose issues name each bad field (`schedule.minute`), its value and what
 * that field accepts. Macros (`@hourly`) and 6-field expressions are rejected: the seed's schedules
 * have five fields.
 *
 * @example
 * ```ts
 * const cron = parseWallarooCron("*\/5 * * * *");
 * if (!(cron instanceof DecodeError)) cron.values.minute; // [0, 5, ..., 55]
 * parseWallarooCron("61 * * * *"); // DecodeError: schedule.minute: got "61", expected a minute 0-59
 * ```
 */
export function parseWallarooCron(expression: string, path = "schedule"): WallarooCron | DecodeError {
  const subject = "wallaroo schedule";
  const parts = expression
    .trim()
    .split(/\s+/)
    .filter((p) => p !== "");
  if (parts.length !== 5) {
    return new DecodeError(subject, [
      {
        path,
        value: expression,
        expected: `5 fields (minute hour day-of-month month day-of-week), not ${parts.length}${
          expression.trim().startsWith("@") ? " (macros such as @hourly are not accepted)" : ""
        }`,
      },
    ]);
  }
  const issues: DecodeIssue[] = [];
  const values = {} as Record<CronField["name"], number[]>;
  const star = {} as Record<CronField["name"], boolean>;
  const texts: string[] = [];
  wallarooCronFields.forEach((f, i) => {
    const fieldPath = `${path}.${f.name}`;
    const items = parts[i]!.split(",").map((item) => parseItem(item, f, fieldPath));
    const fieldIssues = items.filter((x): x is DecodeIssue => "path" in x);
    if (fieldIssues.length > 0) {
      issues.push(...fieldIssues);
      return;
    }
    const ok = items as { text: string; star: boolean }[];
    // A list holding `*` matches everything and, as in robfig, counts as unrestricted.
    const isStar = ok.some((x) => x.star);
    values[f.name] = expand(ok.map((x) => x.text).join(","), f);
    star[f.name] = isStar;
    texts.push(isStar ? "*" : values[f.name].join(","));
  });
  if (issues.length > 0) return new DecodeError(subject, issues);
  return { expression, values, star, normalised: texts.join(" ") };
}

/** A schedule's fields as lookup tables, built once per parsed schedule. */
interface Tables {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly dom: ReadonlySet<number>;
  readonly month: ReadonlySet<number>;
  readonly dow: ReadonlySet<number>;
  /** robfig's rule: when either day field is unrestricted both must match, else either may. */
  readonly eitherDay: boolean;
}

const tables = new WeakMap<WallarooCron, Tables>();
const tablesOf = (cron: WallarooCron): Tables => {
  let t = tables.get(cron);
  if (!t) {
    const { values, star } = cron;
    t = {
      minutes: values.minute,
      hours: values.hour,
      dom: new Set(values["day-of-month"]),
      month: new Set(values.month),
      dow: new Set(values["day-of-week"]),
      eitherDay: !(star["day-of-month"] || star["day-of-week"]),
    };
    tables.set(cron, t);
  }
  return t;
};

/** robfig/cron gives up looking for a next time after five years (a schedule such as Feb 30 never runs). */
const searchDays = 5 * 366;
const dayMs = 86_400_000;

/**
 * The first match strictly after `after` (milliseconds), or null: day by day in UTC, then the first
 * hour and minute of a matching day that is later than `after`. Our own search, not croner's: croner
 * skipped matches when both day fields were restricted across a month's end (a property test found
 * `0 0 *\/6 * 1` after 2026-02-25 giving Mar 2 instead of Mar 1).
 */
function nextAfter(cron: WallarooCron, after: number): number | null {
  const t = tablesOf(cron);
  const first = Math.floor(after / dayMs) * dayMs;
  for (let d = 0; d <= searchDays; d++) {
    const dayStart = first + d * dayMs;
    const day = new Date(dayStart);
    if (!t.month.has(day.getUTCMonth() + 1)) continue;
    const domOk = t.dom.has(day.getUTCDate());
    const dowOk = t.dow.has(day.getUTCDay());
    if (!(t.eitherDay ? domOk || dowOk : domOk && dowOk)) continue;
    for (const h of t.hours) {
      if (dayStart + (h * 60 + 59) * 60_000 <= after) continue; // the whole hour is not later
      for (const m of t.minutes) {
        const at = dayStart + (h * 60 + m) * 60_000;
        if (at > after) return at;
      }
    }
  }
  return null;
}

/**
 * The schedule's match times strictly after `after` and at most `until`, ascending, at most `limit`
 * of them (RFC 3339 text, UTC, whole minutes).
 *
 * @example
 * ```ts
 * const cron = parseWallarooCron("42 * * * *") as WallarooCron;
 * wallarooCronMatches(cron, "2024-01-01T00:00:00Z", "2024-01-01T02:00:00Z");
 * // ["2024-01-01T00:42:00.000Z", "2024-01-01T01:42:00.000Z"]
 * ```
 */
export function wallarooCronMatches(
  cron: WallarooCron,
  after: string,
  until: string,
  limit = Number.POSITIVE_INFINITY,
): string[] {
  const out: string[] = [];
  const end = Date.parse(until);
  let prev = Date.parse(after);
  while (out.length < limit) {
    const next = nextAfter(cron, prev);
    if (next === null || next > end) break;
    out.push(new Date(next).toISOString());
    prev = next;
  }
  return out;
}

/**
 * The first match strictly after `after`, or null when the schedule never matches again.
 *
 * @example
 * ```ts
 * wallarooCronNext(parseWallarooCron("00 1 * * 0") as WallarooCron, "2024-01-01T00:00:00Z");
 * // "2024-01-07T01:00:00.000Z" (1:00 AM on Sunday)
 * ```
 */
export function wallarooCronNext(cron: WallarooCron, after: string): string | null {
  const next = nextAfter(cron, Date.parse(after));
  return next === null ? null : new Date(next).toISOString();
}
