import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Agenda } from "./agenda.js";

describe("the agenda", () => {
  it("hands actions out in time order, and in scheduling order among equal times, for any schedule", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(20)), (times) => {
        const agenda = new Agenda<number>();
        for (const [i, t] of times.entries()) agenda.schedule(t, i);
        const out: number[] = [];
        for (let at = agenda.next(); at !== undefined; at = agenda.next()) out.push(...agenda.takeDue(at));
        const expected = times.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(out).toEqual(expected.map(([, i]) => i));
      }),
    );
  });

  it("drops stale entries only from the front", () => {
    const agenda = new Agenda<string>();
    agenda.schedule(1, "stale");
    agenda.schedule(2, "live");
    agenda.schedule(3, "stale");
    agenda.dropWhile((a) => a === "stale");
    expect(agenda.next()).toBe(2);
    expect(agenda.size).toBe(2);
  });
});
