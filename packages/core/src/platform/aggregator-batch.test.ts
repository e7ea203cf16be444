import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LogRecord } from "../ports/Log.js";
import { highestOfEachPartition } from "./aggregator-batch.js";

/** Per topic and partition, the offset a commit of `records` stores: one past the highest. */
const committedBy = (records: readonly LogRecord[]) => {
  const next = new Map<string, number>();
  for (const r of records) {
    const key = `${r.topic}/${r.partition}`;
    next.set(key, Math.max(next.get(key) ?? 0, r.offset + 1));
  }
  return next;
};

const record: fc.Arbitrary<LogRecord> = fc.record({
  topic: fc.constantFrom("dyff.workflows.events", "other"),
  partition: fc.nat({ max: 5 }),
  offset: fc.nat({ max: 10_000 }),
  key: fc.constant("k"),
  value: fc.constant("{}"),
});

describe("highestOfEachPartition", () => {
  it("property: committing its records stores the same offsets as committing every record of the batches", () => {
    fc.assert(
      fc.property(fc.array(fc.array(record, { maxLength: 30 }), { maxLength: 8 }), (batches) => {
        const highest = highestOfEachPartition(batches);
        expect(committedBy(highest)).toEqual(committedBy(batches.flat()));
        // One record per partition, each taken from the batches.
        expect(new Set(highest.map((r) => `${r.topic}/${r.partition}`)).size).toBe(highest.length);
        for (const r of highest) expect(batches.some((b) => b.includes(r))).toBe(true);
      }),
    );
  });
});
