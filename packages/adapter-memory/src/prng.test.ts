import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hash32, makePrng } from "./prng.js";

const draw = (seed: number, n: number) => {
  const prng = makePrng(seed);
  return Array.from({ length: n }, () => prng.next());
};

describe("makePrng", () => {
  it("the same seed gives the same stream; different seeds give different streams", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (a, b) => {
        expect(draw(a, 20)).toEqual(draw(a, 20));
        if (a >>> 0 !== b >>> 0) expect(draw(a, 20)).not.toEqual(draw(b, 20));
      }),
    );
  });

  it("next is in [0, 1) and int(min, max) stays within both bounds", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -50, max: 50 }), fc.nat(100), (seed, min, width) => {
        const prng = makePrng(seed);
        for (let i = 0; i < 50; i++) {
          const x = prng.next();
          expect(x >= 0 && x < 1).toBe(true);
          const n = prng.int(min, min + width);
          expect(n >= min && n <= min + width && Number.isInteger(n)).toBe(true);
        }
      }),
    );
  });

  it("chance(0) is never true, chance(1) always, chance(0.3) about 30% of the time", () => {
    const prng = makePrng(42);
    const rolls = Array.from({ length: 10_000 }, () => prng.chance(0.3));
    expect(rolls.filter(Boolean).length / rolls.length).toBeCloseTo(0.3, 1);
    expect(Array.from({ length: 100 }, () => prng.chance(0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, () => prng.chance(1)).every(Boolean)).toBe(true);
  });

  it("a fork is independent: drawing from it leaves the parent's stream unchanged", () => {
    const parent = makePrng(7);
    const fork = parent.fork("events");
    for (let i = 0; i < 10; i++) fork.next();
    expect(Array.from({ length: 5 }, () => parent.next())).toEqual(draw(7, 5));
    expect(makePrng(7).fork("events").next()).toBe(makePrng(7).fork("events").next());
    expect(makePrng(7).fork("events").next()).not.toBe(makePrng(7).fork("state").next());
  });

  it("hash32 is a stable 32-bit hash", () => {
    expect(hash32("")).toBe(0x811c9dc5);
    expect(hash32("e1")).toBe(hash32("e1"));
    fc.assert(
      fc.property(fc.string(), (s) => Number.isInteger(hash32(s)) && hash32(s) >= 0 && hash32(s) < 2 ** 32),
    );
  });
});
