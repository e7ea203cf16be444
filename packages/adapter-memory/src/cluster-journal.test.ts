import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ClusterJournal } from "./cluster-journal.js";

const touched = (journal: ClusterJournal, since: number, at: number, kinds = ["Job"]) =>
  [...journal.changed(new Set(kinds), since, at)].map((t) => t.name);

describe("ClusterJournal", () => {
  it("names each object touched after a cursor once, only of the kinds asked, up to the read's write", () => {
    const journal = new ClusterJournal();
    journal.record(1, "Job", "a", undefined, 0);
    journal.record(2, "Job", "b", undefined, 0);
    journal.record(3, "Evaluation", "e", undefined, 0);
    journal.record(4, "Job", "a", undefined, 0);
    journal.record(5, "Job", "c", undefined, 0);
    expect(touched(journal, 0, 5)).toEqual(["a", "b", "c"]);
    expect(touched(journal, 1, 4)).toEqual(["b", "a"]);
    expect(touched(journal, 2, 5, ["Evaluation"])).toEqual(["e"]);
    expect(touched(journal, 5, 5)).toEqual([]);
  });

  it("for any feed, names the objects of the kinds asked touched in (since, at] once each, in order of first touch", () => {
    const write = fc.tuple(
      fc.constantFrom("Job", "Deployment", "Evaluation"),
      fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"),
    );
    fc.assert(
      fc.property(
        fc.array(write, { maxLength: 80 }),
        fc.nat(80),
        fc.nat(80),
        fc.subarray(["Job", "Deployment", "Evaluation"]),
        (writes, x, y, kinds) => {
          const journal = new ClusterJournal();
          for (const [i, [kind, name]] of writes.entries()) journal.record(i + 1, kind, name, undefined, 0);
          const [since, at] = [Math.min(x, y), Math.max(x, y)];
          const expected: string[] = [];
          writes.forEach(([kind, name], i) => {
            const key = `${kind}/${name}`;
            if (i + 1 > since && i + 1 <= at && kinds.includes(kind) && !expected.includes(key))
              expected.push(key);
          });
          const got = journal.changed(new Set(kinds), since, at).map((t) => `${t.kind}/${t.name}`);
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("a cursor is valid only for its own journal, while the feed still covers it, and not past the read", () => {
    const journal = new ClusterJournal(4);
    for (let r = 1; r <= 4; r++) journal.record(r, "Job", `j${r}`, undefined, 0);
    expect(journal.validCursor(journal.cursor(1), 4)).toBe(1);
    expect(journal.validCursor(journal.cursor(5), 4)).toBeUndefined();
    expect(journal.validCursor(new ClusterJournal().cursor(1), 4)).toBeUndefined();
    expect(journal.validCursor("1", 4)).toBeUndefined();
    journal.record(5, "Job", "j5", undefined, 0); // past the limit: the older half is forgotten
    expect(journal.validCursor(journal.cursor(1), 5)).toBeUndefined();
    expect(journal.validCursor(journal.cursor(2), 5)).toBe(2);
    expect(touched(journal, 2, 5)).toEqual(["j3", "j4", "j5"]);
  });

  it("rewinds an object through what the writes after a revision replaced, only as far back as the lag kept", () => {
    const journal = new ClusterJournal();
    const v = (rv: string) => ({
      kind: "Job",
      name: "a",
      labels: {},
      owner: null,
      spec: {},
      conditions: [],
      resourceVersion: rv,
    });
    journal.record(1, "Job", "a", undefined, 2);
    journal.record(2, "Job", "a", v("1"), 2);
    journal.record(3, "Job", "a", v("2"), 2);
    expect(journal.rewind("Job", "a", v("3"), 3)?.resourceVersion).toBe("3");
    expect(journal.rewind("Job", "a", v("3"), 2)?.resourceVersion).toBe("2");
    expect(journal.rewind("Job", "a", v("3"), 1)?.resourceVersion).toBe("1");
    expect(journal.reachesBackTo()).toBe(1);
    expect(journal.rewindKind("Job", new Map([["a", v("3")]]), 1).map((o) => o.resourceVersion)).toEqual([
      "1",
    ]);
  });
});
