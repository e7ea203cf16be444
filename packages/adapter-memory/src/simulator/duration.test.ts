import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.js";

describe("durations", () => {
  it("reads units, combinations and plain seconds", () => {
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("1m")).toBe(60_000);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("1d")).toBe(86_400_000);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration(90)).toBe(90_000);
    expect(parseDuration(0.5)).toBe(500);
  });

  it("refuses what is not a duration", () => {
    for (const bad of ["", "soon", "1 h", "-5s", "5", "1h-", -1, Number.NaN, null, {}, true]) {
      expect(parseDuration(bad)).toBeUndefined();
    }
  });

  it("formatDuration then parseDuration gives back the milliseconds, for any duration", () => {
    fc.assert(
      fc.property(fc.nat({ max: 40 * 86_400_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });
});
