import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeError } from "../../lifecycle/errors.js";
import {
  applyMergePatch,
  type Json,
  jsonEqual,
  mergePatchBetween,
  withoutNullMembers,
} from "./merge-patch.js";
import { type DyffHistory, type DyffRevision, mayRestore, reconstruct, recordRevision } from "./revision.js";

/** JSON values; `nulls: false` keeps null out of objects (a merge patch cannot set a member to null). */
const json = (nulls: boolean) =>
  fc.letrec<{ value: Json }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      nulls ? fc.constantFrom<Json>(null, true, 0, "Ready") : fc.constantFrom<Json>(true, 0, "Ready"),
      fc.string({ maxLength: 4 }),
      fc.integer(),
      fc.array(tie("value"), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom("status", "reason", "labels", "spec", "a", "b"), tie("value"), {
        maxKeys: 4,
      }),
    ),
  })).value;
const entity = (nulls: boolean) =>
  fc.dictionary(fc.constantFrom("status", "reason", "labels", "spec", "a"), json(nulls), { maxKeys: 5 });

/** Records `states` in order; returns the revisions and, for each, the state it stands for. */
function record(states: readonly Json[]) {
  let history: DyffHistory | null = null;
  let previous: Json | null = null;
  const revisions: DyffRevision[] = [];
  const recorded: Json[] = [];
  states.forEach((next, i) => {
    const r = recordRevision(history, previous, next, {
      kind: "Model",
      entity: "m1",
      id: `r${i}`,
      at: `2026-01-01T00:00:${String(i % 60).padStart(2, "0")}Z`,
    });
    if (r instanceof DecodeError) throw r;
    if (r === null) return;
    history = r.history;
    revisions.push(r.revision);
    recorded.push(next);
    previous = next;
  });
  return { history: history as DyffHistory | null, revisions, recorded };
}

describe("JSON merge patch (RFC 7396)", () => {
  it("applying the patch between two values gives the second, for values without null members", () => {
    fc.assert(
      fc.property(json(false), json(false), (a, b) =>
        jsonEqual(applyMergePatch(a, mergePatchBetween(a, b)), b),
      ),
    );
  });

  it("with null members, it gives the second up to null members (null in a patch deletes)", () => {
    // Up to null members on both sides: a null member the first value shares with the second is
    // left as it is (no patch entry), so the result may keep it where the second has it too.
    const equalUpToNulls = (x: Json, y: Json) => jsonEqual(withoutNullMembers(x), withoutNullMembers(y));
    fc.assert(
      fc.property(json(true), json(true), (a, b) =>
        equalUpToNulls(applyMergePatch(a, mergePatchBetween(a, b)), b),
      ),
    );
    // What a CI run's seed found: the same null member on both sides is no change, so no patch entry.
    expect(applyMergePatch({ a: null }, mergePatchBetween({ a: null }, { a: null }))).toEqual({ a: null });
    expect(equalUpToNulls({ a: null }, {})).toBe(true);
    expect(equalUpToNulls({ a: null, b: 1 }, {})).toBe(false);
  });

  it("RFC 7396's own examples", () => {
    expect(applyMergePatch({ a: "b" }, { a: "c" })).toEqual({ a: "c" });
    expect(applyMergePatch({ a: "b" }, { a: null })).toEqual({});
    expect(applyMergePatch({ a: ["b"] }, { a: "c" })).toEqual({ a: "c" });
    expect(applyMergePatch({ a: [{ b: "c" }] }, { a: [1] })).toEqual({ a: [1] });
    expect(applyMergePatch(["a", "b"], ["c", "d"])).toEqual(["c", "d"]);
    expect(applyMergePatch({}, { a: { bb: { ccc: null } } })).toEqual({ a: { bb: {} } });
  });
});

describe("Dyff's Revisions: a snapshot first, then merge patches back to the previous revision", () => {
  it("every recorded revision is rebuilt exactly from the current entity, for entities without null members", () => {
    fc.assert(
      fc.property(fc.array(entity(false), { minLength: 1, maxLength: 8 }), (states) => {
        const { revisions, recorded } = record(states);
        const current = recorded[recorded.length - 1]!;
        revisions.forEach((r, i) => {
          expect(reconstruct(current, revisions, r.id)).toEqual(recorded[i]);
        });
      }),
    );
  });

  it("with null members, every revision is rebuilt up to its null members", () => {
    fc.assert(
      fc.property(fc.array(entity(true), { minLength: 1, maxLength: 6 }), (states) => {
        const { revisions, recorded } = record(states);
        const current = recorded[recorded.length - 1]!;
        revisions.forEach((r, i) => {
          const got = reconstruct(current, revisions, r.id) as Json;
          const want = recorded[i]!;
          // The newest is the entity itself and the first is a full snapshot: both exact.
          if (i === 0 || i === revisions.length - 1) expect(got).toEqual(want);
          else expect(withoutNullMembers(got)).toEqual(withoutNullMembers(want));
        });
      }),
    );
  });

  it("the chain: only the first is a Snapshot, each names the one before, History lists them oldest first with latest last", () => {
    fc.assert(
      fc.property(fc.array(entity(false), { minLength: 1, maxLength: 8 }), (states) => {
        const { history, revisions } = record(states);
        expect(revisions[0]!.data.format).toBe("Snapshot");
        expect(revisions[0]!.previousRevision).toBeNull();
        for (let i = 1; i < revisions.length; i++) {
          expect(revisions[i]!.data.format).toBe("JsonMergePatch");
          expect(revisions[i]!.previousRevision).toBe(revisions[i - 1]!.id);
        }
        expect(history!.revisions.map((r) => r.id)).toEqual(revisions.map((r) => r.id));
        expect(history!.latest.id).toBe(revisions[revisions.length - 1]!.id);
      }),
    );
  });

  it("a change that leaves the entity as it was records no revision", () => {
    fc.assert(
      fc.property(entity(true), (e) => {
        const first = recordRevision(null, null, e, {
          kind: "Model",
          entity: "m1",
          id: "r0",
          at: "2026-01-01T00:00:00Z",
        });
        if (first === null || first instanceof DecodeError)
          throw new Error("the first revision is always recorded");
        expect(
          recordRevision(first.history, e, structuredClone(e), {
            kind: "Model",
            entity: "m1",
            id: "r1",
            at: "2026-01-01T00:00:01Z",
          }),
        ).toBeNull();
      }),
    );
  });

  it("refuses kinds without revisions, reused ids and another entity's history, naming the field", () => {
    const meta = { kind: "Model", entity: "m1", id: "r0", at: "2026-01-01T00:00:00Z" };
    expect(recordRevision(null, null, {}, { ...meta, kind: "Quota" })).toMatchObject({
      issues: [{ path: "kind", value: "Quota" }],
    });
    expect(recordRevision(null, null, {}, { ...meta, kind: "History" })).toBeInstanceOf(DecodeError);
    const first = recordRevision(null, null, { a: 1 }, meta);
    if (first === null || first instanceof DecodeError) throw new Error("recorded");
    expect(recordRevision(first.history, { a: 1 }, { a: 2 }, meta)).toMatchObject({
      issues: [{ path: "id", value: "r0" }],
    });
    expect(
      recordRevision(first.history, { a: 1 }, { a: 2 }, { ...meta, entity: "m2", id: "r1" }),
    ).toMatchObject({
      issues: [{ path: "history.historyOf" }],
    });
    expect(reconstruct({ a: 1 }, [first.revision], "nope")).toMatchObject({
      issues: [{ path: "id", value: "nope" }],
    });
  });
});

describe("RestoreEntity's revision check (ifRevisionMatch, ifRevisionUndefined)", () => {
  it("with a revision: allowed exactly when no revision is asked for, or the one asked for is the current one", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.option(fc.string({ minLength: 1 })),
        fc.option(fc.boolean()),
        (cur, match, undef) => {
          expect(mayRestore(cur, { ifRevisionMatch: match, ifRevisionUndefined: undef })).toBe(
            match === null || match === cur,
          );
        },
      ),
    );
  });

  it("without a revision: ifRevisionUndefined decides; by default, only when no ifRevisionMatch is given", () => {
    expect(mayRestore(undefined, {})).toBe(true);
    expect(mayRestore(null, { ifRevisionMatch: "r1" })).toBe(false);
    expect(mayRestore(null, { ifRevisionMatch: "r1", ifRevisionUndefined: true })).toBe(true);
    expect(mayRestore(null, { ifRevisionUndefined: false })).toBe(false);
  });
});
