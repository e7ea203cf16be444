import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffMs } from "./timing.js";

const timing = fc
  .record({ initial: fc.integer({ min: 1, max: 10_000 }), max: fc.integer({ min: 1, max: 600_000 }) })
  .map(({ initial, max }) => ({
    watchTimeoutSeconds: 60,
    stallMs: 90_000,
    backoffInitialMs: initial,
    backoffMaxMs: max,
  }));

describe("back-off between attempts", () => {
  it("never shrinks as errors repeat, starts at the initial wait (or the cap), and never exceeds the cap", () => {
    fc.assert(
      fc.property(timing, fc.integer({ min: 1, max: 100 }), (t, n) => {
        expect(backoffMs(t, 1)).toBe(Math.min(t.backoffInitialMs, t.backoffMaxMs));
        expect(backoffMs(t, n + 1)).toBeGreaterThanOrEqual(backoffMs(t, n));
        expect(backoffMs(t, n)).toBeLessThanOrEqual(t.backoffMaxMs);
      }),
    );
  });
});
