import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeError } from "../../lifecycle/errors.js";
import {
  type CronField,
  parseWallarooCron,
  type WallarooCron,
  wallarooCronFields,
  wallarooCronMatches,
  wallarooCronNext,
} from "./cron.js";

const parse = (e: string) => {
  const c = parseWallarooCron(e);
  if (c instanceof DecodeError) throw c;
  return c;
};

/** A field written as items; the expected values and "unrestricted" mark come from the items, not the parser. */
type Item =
  | { kind: "star"; char: "*" | "?"; step: number | null }
  | { kind: "value"; v: number; step: number | null; named: boolean }
  | { kind: "range"; a: number; b: number; step: number | null; named: boolean };

const monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const nameOf = (f: CronField, v: number, named: boolean) =>
  !named
    ? String(v)
    : f.name === "month"
      ? monthNames[v - 1]!
      : f.name === "day-of-week"
        ? dayNames[v]!
        : String(v);

function arbitraryItem(f: CronField): fc.Arbitrary<Item> {
  const step = fc.option(fc.integer({ min: 1, max: f.max - f.min + 2 }), { nil: null });
  const v = fc.integer({ min: f.min, max: f.max });
  return fc.oneof(
    fc.record({
      kind: fc.constant("star" as const),
      char: fc.constantFrom("*" as const, "?" as const),
      step,
    }),
    fc.record({ kind: fc.constant("value" as const), v, step, named: fc.boolean() }),
    fc
      .record({ kind: fc.constant("range" as const), a: v, b: v, step, named: fc.boolean() })
      .map((r) => ({ ...r, a: Math.min(r.a, r.b), b: Math.max(r.a, r.b) })),
  );
}

const render = (f: CronField, items: Item[]) =>
  items
    .map((i) => {
      const s = i.step === null ? "" : `/${i.step}`;
      if (i.kind === "star") return `${i.char}${s}`;
      if (i.kind === "value") return `${nameOf(f, i.v, i.named)}${s}`;
      return `${nameOf(f, i.a, i.named)}-${nameOf(f, i.b, i.named)}${s}`;
    })
    .join(",");

function expected(f: CronField, items: Item[]) {
  const values = new Set<number>();
  for (const i of items) {
    const step = i.step ?? 1;
    const [a, b] =
      i.kind === "star"
        ? [f.min, f.max]
        : i.kind === "value"
          ? [i.v, i.step === null ? i.v : f.max]
          : [i.a, i.b];
    for (let v = a; v <= b; v += step) values.add(v);
  }
  const star = items.some((i) => i.kind === "star" && (i.step ?? 1) === 1);
  return { values: [...values].sort((x, y) => x - y), star };
}

const arbitrarySchedule = fc.tuple(
  ...wallarooCronFields.map((f) => fc.array(arbitraryItem(f), { minLength: 1, maxLength: 3 })),
);

/** The first match strictly after `after` by the rules of a Kubernetes CronJob, searching `days` days. */
function referenceNext(fields: ReturnType<typeof expected>[], after: number, days: number): number | null {
  const [minute, hour, dom, month, dow] = fields as [
    (typeof fields)[0],
    (typeof fields)[0],
    (typeof fields)[0],
    (typeof fields)[0],
    (typeof fields)[0],
  ];
  const start = new Date(after);
  for (let d = 0; d <= days; d++) {
    const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + d));
    if (!month.values.includes(day.getUTCMonth() + 1)) continue;
    const domOk = dom.values.includes(day.getUTCDate());
    const dowOk = dow.values.includes(day.getUTCDay());
    if (!(dom.star || dow.star ? domOk && dowOk : domOk || dowOk)) continue;
    for (const h of hour.values)
      for (const m of minute.values) {
        const t = day.getTime() + (h * 60 + m) * 60_000;
        if (t > after) return t;
      }
  }
  return null;
}

const instant = fc
  .integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 0, 1) })
  .map((t) => new Date(Math.floor(t / 1000) * 1000).toISOString());

describe("Wallaroo cron schedules", () => {
  it("both day fields restricted across a month's end: either day matches (a case croner got wrong)", () => {
    // Day-of-month every 6th from the 1st, or Monday: after Wed 2026-02-25 the 1st of March comes first.
    const cron = parse("0 0 */6 *,1 1");
    expect(wallarooCronNext(cron, "2026-02-25T00:00:00.000Z")).toBe("2026-03-01T00:00:00.000Z");
  });

  it("every field's values and unrestricted mark are those its items write", () => {
    fc.assert(
      fc.property(arbitrarySchedule, (fields) => {
        const text = fields.map((items, i) => render(wallarooCronFields[i]!, items)).join(" ");
        const cron = parse(text);
        wallarooCronFields.forEach((f, i) => {
          const e = expected(f, fields[i]!);
          expect(cron.values[f.name]).toEqual(e.values);
          expect(cron.star[f.name]).toBe(e.star);
        });
      }),
    );
  });

  it("the next match is the first minute a Kubernetes CronJob would run, for any schedule and start", () => {
    fc.assert(
      fc.property(arbitrarySchedule, instant, (fields, after) => {
        const text = fields.map((items, i) => render(wallarooCronFields[i]!, items)).join(" ");
        const cron = parse(text);
        const ref = referenceNext(
          fields.map((items, i) => expected(wallarooCronFields[i]!, items)),
          Date.parse(after),
          800,
        );
        const ours = wallarooCronMatches(
          cron,
          after,
          new Date(Date.parse(after) + 800 * 86_400_000).toISOString(),
          1,
        );
        expect(ours[0] ?? null).toBe(ref === null ? null : new Date(ref).toISOString());
      }),
    );
  });

  it("matches are ascending, strictly after the start, within the window, and chain through wallarooCronNext", () => {
    fc.assert(
      fc.property(arbitrarySchedule, instant, (fields, after) => {
        const cron = parse(fields.map((items, i) => render(wallarooCronFields[i]!, items)).join(" "));
        const until = new Date(Date.parse(after) + 3 * 86_400_000).toISOString();
        const matches = wallarooCronMatches(cron, after, until, 50);
        let prev = after;
        for (const m of matches) {
          expect(Date.parse(m)).toBeGreaterThan(Date.parse(prev));
          expect(Date.parse(m)).toBeLessThanOrEqual(Date.parse(until));
          expect(wallarooCronNext(cron, prev)).toBe(m);
          prev = m;
        }
      }),
    );
  });

  it("the seed's schedules: */5, minute 42 of every hour, 1:00 AM on Sunday", () => {
    expect(wallarooCronMatches(parse("*/5 * * * *"), "2023-05-22T20:08:25Z", "2023-05-22T20:21:00Z")).toEqual(
      ["2023-05-22T20:10:00.000Z", "2023-05-22T20:15:00.000Z", "2023-05-22T20:20:00.000Z"],
    );
    expect(wallarooCronMatches(parse("42 * * * *"), "2024-01-01T00:00:00Z", "2024-01-01T02:00:00Z")).toEqual([
      "2024-01-01T00:42:00.000Z",
      "2024-01-01T01:42:00.000Z",
    ]);
    // 2024-01-07 is a Sunday.
    expect(wallarooCronNext(parse("00 1 * * 0"), "2024-01-01T00:00:00Z")).toBe("2024-01-07T01:00:00.000Z");
  });

  it("an invalid value is refused naming its field and value, every bad field at once", () => {
    const err = parseWallarooCron("61 25 * * *") as DecodeError;
    expect(err).toBeInstanceOf(DecodeError);
    expect(err.issues).toEqual([
      { path: "schedule.minute", value: "61", expected: "a minute 0-59" },
      { path: "schedule.hour", value: "25", expected: "an hour 0-23" },
    ]);
    expect(err.message).toMatch(/schedule\.minute: got "61", expected a minute 0-59/);
  });

  it("refuses what a Kubernetes CronJob's 5-field parser refuses", () => {
    const issue = (e: string) => (parseWallarooCron(e) as DecodeError).issues[0];
    expect(issue("0 0 * * * *")).toMatchObject({
      path: "schedule",
      expected: expect.stringMatching(/^5 fields .*not 6/),
    });
    expect(issue("@hourly")).toMatchObject({ path: "schedule", expected: expect.stringMatching(/macros/) });
    expect(issue("* * * * 7")).toMatchObject({ path: "schedule.day-of-week", value: "7" });
    expect(issue("* * 0 * *")).toMatchObject({ path: "schedule.day-of-month", value: "0" });
    expect(issue("* * * 13 *")).toMatchObject({ path: "schedule.month", value: "13" });
    expect(issue("5-1 * * * *")).toMatchObject({ path: "schedule.minute", value: "5-1" });
    expect(issue("*/0 * * * *")).toMatchObject({ path: "schedule.minute", value: "*/0" });
    expect(issue("L * * * *")).toMatchObject({ path: "schedule.minute", value: "L" });
    expect(issue("* * L * *")).toMatchObject({ path: "schedule.day-of-month", value: "L" });
    expect(issue("* * * * 5#2")).toMatchObject({ path: "schedule.day-of-week", value: "5#2" });
    expect(issue("1,,2 * * * *")).toMatchObject({ path: "schedule.minute", value: "" });
    expect(issue("")).toMatchObject({ path: "schedule", expected: expect.stringMatching(/not 0/) });
  });

  it("any out-of-range number in any field is refused, naming that field and that value", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.oneof(fc.integer({ min: -5, max: -1 }), fc.integer({ min: 60, max: 999 })),
        (i, bad) => {
          const f = wallarooCronFields[i]!;
          const value = bad < 0 ? f.min - 1 : Math.max(bad, f.max + 1);
          if (value < 0) return; // "-1" is not a number in cron's grammar; tested above as a range
          const parts = ["*", "*", "*", "*", "*"];
          parts[i] = String(value);
          const err = parseWallarooCron(parts.join(" "));
          expect(err).toBeInstanceOf(DecodeError);
          expect((err as DecodeError).issues).toEqual([
            { path: `schedule.${f.name}`, value: String(value), expected: f.expected },
          ]);
        },
      ),
    );
  });

  it("a schedule that never matches yields no time", () => {
    const feb30: WallarooCron = parse("0 0 30 2 *");
    expect(wallarooCronNext(feb30, "2024-01-01T00:00:00Z")).toBeNull();
    expect(wallarooCronMatches(feb30, "2024-01-01T00:00:00Z", "2030-01-01T00:00:00Z")).toEqual([]);
  });
});
