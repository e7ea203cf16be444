import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { byteChunks } from "./produce.js";

describe("byteChunks", () => {
  it("keeps every record once, in order, each chunk under the limit unless one record alone exceeds it", () =>
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.string({ maxLength: 20 }), value: fc.string({ maxLength: 400 }) }), {
          maxLength: 60,
        }),
        fc.integer({ min: 100, max: 2000 }),
        (records, limit) => {
          const chunks = byteChunks(records, limit);
          expect(chunks.flat()).toEqual(records);
          for (const c of chunks) {
            expect(c.length).toBeGreaterThan(0);
            const bytes = c.reduce(
              (n, r) => n + Buffer.byteLength(r.key) + Buffer.byteLength(r.value) + 70,
              0,
            );
            if (c.length > 1) expect(bytes).toBeLessThanOrEqual(limit);
          }
        },
      ),
    ));
});
