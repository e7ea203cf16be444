import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Watermarks } from "./dedupe.js";

describe("Watermarks", () => {
  it("accepts an offset once and refuses it, and every lower one, afterwards", () => {
    const seen = new Watermarks<number>();
    expect(seen.accept(0, 5)).toBe(true);
    expect(seen.accept(0, 5)).toBe(false);
    expect(seen.accept(0, 3)).toBe(false);
    expect(seen.accept(0, 6)).toBe(true);
    expect(seen.get(0)).toBe(6);
  });

  it("keeps partitions apart", () => {
    const seen = new Watermarks<string>();
    expect(seen.accept("p0", 10)).toBe(true);
    expect(seen.accept("p1", 2)).toBe(true);
    expect(seen.get("p1")).toBe(2);
    expect(seen.get("p2")).toBeUndefined();
  });

  it("takes Kafka's bigint offsets", () => {
    const seen = new Watermarks<number, bigint>();
    expect(seen.accept(0, 9007199254740993n)).toBe(true);
    expect(seen.accept(0, 9007199254740993n)).toBe(false);
    expect(seen.accept(0, 9007199254740994n)).toBe(true);
  });

  it("redelivering any prefix of a partitioned log after the whole log accepts nothing, and the log once accepts everything", () => {
    const log = fc.array(fc.nat(3), { maxLength: 200 }).map((partitions) => {
      const next = [0, 0, 0, 0];
      return partitions.map((p) => [p, next[p]!++] as const);
    });
    fc.assert(
      fc.property(log, fc.nat(), (messages, cut) => {
        const seen = new Watermarks<number>();
        expect(messages.every(([p, o]) => seen.accept(p, o))).toBe(true);
        const prefix = messages.slice(0, messages.length === 0 ? 0 : cut % (messages.length + 1));
        expect(prefix.some(([p, o]) => seen.accept(p, o))).toBe(false);
      }),
    );
  });

  it("restored from its entries, refuses what the original refuses", () => {
    const seen = new Watermarks<number>();
    seen.accept(0, 4);
    seen.accept(1, 9);
    const restored = new Watermarks(seen.entries());
    expect([restored.accept(0, 4), restored.accept(1, 9), restored.accept(1, 10)]).toEqual([
      false,
      false,
      true,
    ]);
  });
});
