import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dyff } from "../systems/dyff/index.js";
import { DecodeError } from "./errors.js";
import { isRfc3339, RFC3339_EXPECTED } from "./time.js";

/** The reference: RFC 3339's grammar as a regular expression, and the calendar by Date.UTC. */
function reference(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(2000, mo - 1, d));
  date.setUTCFullYear(y);
  const realDay = date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  const offsetOk = m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  return realDay && h <= 23 && mi <= 59 && sec <= 60 && offsetOk;
}

const digits = (n: number) => fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, "0"));
/** Strings shaped like timestamps, each part sometimes out of range or malformed. */
const timestampish = fc
  .tuple(
    digits(4),
    fc.oneof(digits(2), fc.constantFrom("1", "001")),
    digits(2),
    fc.constantFrom("T", "t", " ", "X"),
    digits(2),
    digits(2),
    fc.oneof(digits(2), fc.constant("6")),
    fc.constantFrom("", ".", ".5", ".123456789", ".x"),
    fc.oneof(fc.constantFrom("Z", "z", "", "+01:00", "-23:59", "+24:00", "+01:60", "+0100", "Zx"), digits(2)),
  )
  .map(([y, mo, d, t, h, mi, s, frac, off]) => `${y}-${mo}-${d}${t}${h}:${mi}:${s}${frac}${off}`);

describe("isRfc3339", () => {
  it("accepts every time Date.toISOString() writes, and its offset forms", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("0000-01-01T00:00:00Z"),
          max: new Date("9999-12-31T23:59:59Z"),
          noInvalidDate: true,
        }),
        fc.constantFrom("Z", "z", "+00:00", "-05:30"),
        (date, zone) => {
          const iso = date.toISOString();
          expect(isRfc3339(iso)).toBe(true);
          expect(isRfc3339(iso.replace("Z", zone))).toBe(true);
        },
      ),
    );
  });

  it("agrees with the grammar and the calendar on timestamp-shaped strings, valid or not", () => {
    fc.assert(
      fc.property(timestampish, (s) => {
        expect(isRfc3339(s)).toBe(reference(s));
      }),
    );
  });

  it("agrees with the reference on any string at all", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        expect(isRfc3339(s)).toBe(reference(s));
      }),
    );
  });

  it("leap days and leap seconds: February 29 in leap years only; second 60 allowed", () => {
    expect(isRfc3339("2024-02-29T00:00:00Z")).toBe(true);
    expect(isRfc3339("2000-02-29T00:00:00Z")).toBe(true);
    expect(isRfc3339("1900-02-29T00:00:00Z")).toBe(false);
    expect(isRfc3339("2026-02-29T00:00:00Z")).toBe(false);
    expect(isRfc3339("2026-04-31T00:00:00Z")).toBe(false);
    expect(isRfc3339("2016-12-31T23:59:60Z")).toBe(true);
  });
});

describe("times on a lifecycle", () => {
  const created = dyff.Evaluation.initial("2026-01-01T00:00:00Z");

  it('`at: "yesterday"` is a DecodeError naming the field, the value and what was expected', () => {
    const next = dyff.Evaluation.step(created, { type: "admit", at: "yesterday" });
    expect(next).toBeInstanceOf(DecodeError);
    expect((next as DecodeError).issues).toEqual([
      { path: "at", value: "yesterday", expected: RFC3339_EXPECTED },
    ]);
    expect((next as DecodeError).message).toBe(
      'dyff/Evaluation event: 1 problem\n  at: got "yesterday", expected an RFC 3339 timestamp, e.g. 2026-01-01T00:00:00Z',
    );
    expect(() => dyff.Evaluation.stepOrThrow(created, { type: "admit", at: "yesterday" })).toThrow(
      DecodeError,
    );
    expect(dyff.Evaluation.moveTo(created, { status: "Admitted", at: "yesterday" })).toBeInstanceOf(
      DecodeError,
    );
    expect(dyff.Evaluation.replay([{ type: "admit" }, { type: "verify", at: "yesterday" }])).toMatchObject({
      _tag: "DecodeError",
      index: 1,
    });
  });

  it("a change without `at` has an unknown time (null), not the previous record's", () => {
    const admitted = dyff.Evaluation.stepOrThrow(created, { type: "admit" });
    expect(admitted).toMatchObject({ status: "Admitted", lastTransitionTime: null });
    const stamped = dyff.Evaluation.stepOrThrow(created, { type: "admit", at: "2026-01-01T00:00:05Z" });
    expect(stamped.lastTransitionTime).toBe("2026-01-01T00:00:05Z");
    // nothing changes: the same record, its time kept
    expect(dyff.Evaluation.moveTo(stamped, { status: "Admitted" })).toBe(stamped);
  });

  it("a status record whose lastTransitionTime is not RFC 3339 does not decode", () => {
    const decoded = dyff.Evaluation.decodeRecord({ ...created, lastTransitionTime: "yesterday" });
    expect(decoded).toBeInstanceOf(DecodeError);
    expect((decoded as DecodeError).message).toContain(RFC3339_EXPECTED);
  });
});
