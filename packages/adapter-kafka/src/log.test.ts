import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { messageOf, nextOffsets } from "./log.js";

describe("nextOffsets", () => {
  it("commits, per partition, one past the highest offset handled, whatever the order of the records", () =>
    fc.assert(
      fc.property(
        fc.array(fc.record({ partition: fc.nat(5), offset: fc.nat(1000) }), { maxLength: 50 }),
        (records) => {
          const offsets = nextOffsets("t", records);
          expect(offsets.map((o) => o.partition)).toEqual(
            [...new Set(records.map((r) => r.partition))].sort((a, b) => a - b),
          );
          for (const o of offsets) {
            const mine = records.filter((r) => r.partition === o.partition).map((r) => r.offset);
            expect(o).toEqual({ topic: "t", partition: o.partition, offset: Math.max(...mine) + 1 });
          }
        },
      ),
    ));
});

describe("messageOf", () => {
  it("brings up the reason the client wrapped in aggregate errors and causes", () => {
    const refused = new Error("connect ECONNREFUSED 127.0.0.1:9092");
    const wrapped = new AggregateError(
      [new Error("Cannot connect to any broker.", { cause: refused })],
      "Creating topics failed.",
    );
    expect(messageOf(wrapped)).toBe(
      "Creating topics failed: Cannot connect to any broker: connect ECONNREFUSED 127.0.0.1:9092",
    );
  });
});
