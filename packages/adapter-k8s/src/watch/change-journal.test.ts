import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChangeJournal, type JournalKey } from "./change-journal.js";

const kindNames = ["Evaluation", "Job", "InferenceSession"] as const;
const event = fc.record({
  kind: fc.constantFrom(...kindNames),
  name: fc.constantFrom("a", "b", "c", "d"),
});
const kindSet = fc.subarray([...kindNames], { minLength: 1 }).map((k) => new Set<string>(k));

/** What a cursor is owed, computed from every event after it (the journal's model). */
function owed(events: readonly JournalKey[], kinds: ReadonlySet<string>): JournalKey[] {
  const keys = events.filter((e) => kinds.has(e.kind));
  const distinct = new Map(keys.map((e) => [`${e.kind}/${e.name}`, e] as const));
  // Map keeps the first insertion's position: order of first occurrence.
  return [...distinct.values()].map(({ kind, name }) => ({ kind, name }));
}

describe("the change journal", () => {
  it("owes a known cursor each object of the kinds asked touched since, once, in order of first touch; a cursor more than `capacity` events old gets a full listing", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(event, { maxLength: 30 }),
        fc.array(event, { maxLength: 30 }),
        kindSet,
        (capacity, before, after, kinds) => {
          const journal = new ChangeJournal({ capacity });
          for (const e of before) journal.record(e.kind, e.name);
          const cursor = journal.cursor();
          for (const e of after) journal.record(e.kind, e.name);
          const answer = journal.since(cursor, kinds);
          if (after.length > capacity) expect(answer).toEqual({ full: true });
          else expect(answer).toEqual({ full: false, changed: owed(after, kinds) });
        },
      ),
    );
  });

  it("numbers events with one counter across kinds and answers nothing to a cursor that saw everything", () => {
    const journal = new ChangeJournal();
    expect(journal.record("Job", "a")).toBe(1);
    expect(journal.record("Evaluation", "a")).toBe(2);
    const cursor = journal.cursor();
    expect(cursor).toBe(`${journal.id}:2`);
    expect(journal.since(cursor, new Set(kindNames))).toEqual({ full: false, changed: [] });
  });

  it("gives a cursor of the empty journal what was recorded after it, as a known cursor", () => {
    const journal = new ChangeJournal({ capacity: 2 });
    const cursor = journal.cursor();
    journal.record("Job", "a");
    journal.record("Job", "a");
    expect(journal.since(cursor, new Set(["Job"]))).toEqual({
      full: false,
      changed: [{ kind: "Job", name: "a" }],
    });
    journal.record("Job", "b");
    expect(journal.since(cursor, new Set(["Job"]))).toEqual({ full: true });
  });

  it("answers full to no cursor, another journal's, one from the future, and anything that is not a cursor", () => {
    const journal = new ChangeJournal();
    const other = new ChangeJournal();
    journal.record("Job", "a");
    other.record("Job", "a");
    const kinds = new Set(["Job"]);
    expect(other.id).not.toBe(journal.id);
    for (const cursor of [
      null,
      other.cursor(),
      `${journal.id}:2`,
      `${journal.id}:-1`,
      `${journal.id}:01`,
      `${journal.id}:1.0`,
      `${journal.id}:`,
      `${journal.id}`,
      ":1",
      "1",
      "",
      "not-a-cursor-of-this-cluster",
    ])
      expect(journal.since(cursor, kinds), String(cursor)).toEqual({ full: true });
    expect(journal.since(`${journal.id}:0`, kinds)).toEqual({
      full: false,
      changed: [{ kind: "Job", name: "a" }],
    });
  });

  it("refuses a capacity that is not a positive integer and an id with a colon, naming the field", () => {
    expect(() => new ChangeJournal({ capacity: 0 })).toThrow(/capacity: expected a positive integer, got 0/);
    expect(() => new ChangeJournal({ capacity: 1.5 })).toThrow(/capacity/);
    expect(() => new ChangeJournal({ id: "a:b" })).toThrow(/id: expected no ":", got a:b/);
  });
});
