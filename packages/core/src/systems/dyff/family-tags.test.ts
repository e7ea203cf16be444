import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecodeError } from "../../lifecycle/errors.js";
import {
  type DyffVersionFamily,
  editMembers,
  type MembersEdit,
  resolveTag,
  tagForNewWork,
} from "./family-tags.js";

const tag = fc.constantFrom("latest", "stable", "v1", "v2", "_beta", "rc.1");
const member = fc.constantFrom("m1", "m2", "m3", "m4");
const edit: fc.Arbitrary<MembersEdit> = fc.dictionary(
  tag,
  fc.option(
    member.map((id) => ({ entity: { kind: "Model", id } })),
    { nil: null },
  ),
  { maxKeys: 4 },
);
const time = (i: number) => `2026-01-01T00:00:${String(i).padStart(2, "0")}Z`;
const empty: DyffVersionFamily = { id: "f1", status: "Ready", memberKind: "Model", members: {} };

function applyAll(family: DyffVersionFamily, edits: readonly MembersEdit[]): DyffVersionFamily {
  return edits.reduce((f, e, i) => {
    const next = editMembers(f, e, time(i));
    if (next instanceof DecodeError) throw next;
    return next;
  }, family);
}
const targets = (f: DyffVersionFamily) =>
  Object.fromEntries(Object.entries(f.members).map(([t, m]) => [t, m.entity.id]));
const start = fc.array(edit, { maxLength: 4 }).map((edits) => applyAll(empty, edits));

describe("Dyff's Family: tags that point at members", () => {
  it("an edit moves, creates or removes exactly the tags it names; every other tag keeps its member and its time", () => {
    fc.assert(
      fc.property(start, edit, (before, e) => {
        const after = editMembers(before, e, time(59)) as DyffVersionFamily;
        for (const [t, m] of Object.entries(before.members))
          if (!(t in e)) expect(after.members[t]).toEqual(m);
        for (const [t, m] of Object.entries(e)) {
          if (m === null) expect(after.members[t]).toBeUndefined();
          else
            expect(after.members[t]).toMatchObject({
              name: t,
              family: "f1",
              entity: m.entity,
              creationTime: time(59),
            });
        }
      }),
    );
  });

  it("an edit applied twice is the edit applied once (a redelivered command changes nothing more)", () => {
    fc.assert(
      fc.property(start, edit, (before, e) => {
        const once = editMembers(before, e, time(30)) as DyffVersionFamily;
        expect(editMembers(once, e, time(30))).toEqual(once);
      }),
    );
  });

  it("edits that name different tags commute", () => {
    fc.assert(
      fc.property(start, edit, edit, (before, a, b) => {
        const disjoint = Object.fromEntries(Object.entries(b).filter(([t]) => !(t in a)));
        const ab = applyAll(applyAll(before, [a]), [disjoint]);
        const ba = applyAll(applyAll(before, [disjoint]), [a]);
        expect(targets(ab)).toEqual(targets(ba));
      }),
    );
  });

  it("no tag moves by itself: a newer member, or a member's deletion, leaves every tag where it was", () => {
    fc.assert(
      fc.property(start, member, (family, deletedId) => {
        const statusOf = (id: string) => (id === deletedId ? "Deleted" : "Ready");
        for (const [t, m] of Object.entries(family.members)) {
          // Reading the tag still answers the member, Deleted or not (dyff-client's get_member).
          expect(resolveTag(family, t)).toEqual(m.entity);
          // A new workflow may not use a Deleted member through the tag.
          const forWork = tagForNewWork(family, t, statusOf);
          if (m.entity.id === deletedId)
            expect(forWork).toMatchObject({ issues: [{ path: `members.${t}.entity`, value: deletedId }] });
          else expect(forWork).toEqual(m.entity);
        }
      }),
    );
  });

  it("an edit is all or nothing: a bad tag name or a member of another kind refuses it, naming each", () => {
    const bad = editMembers(
      empty,
      {
        latest: { entity: { kind: "Model", id: "m1" } },
        "-x": { entity: { kind: "Model", id: "m2" } },
        v2: { entity: { kind: "Dataset", id: "d1" } },
      },
      time(0),
    );
    expect(bad).toBeInstanceOf(DecodeError);
    expect((bad as DecodeError).issues.map((i) => i.path)).toEqual(["members.-x", "members.v2.entity.kind"]);
    expect(editMembers(empty, { ["a".repeat(129)]: null }, time(0))).toBeInstanceOf(DecodeError);
    expect(editMembers(empty, { ["a".repeat(128)]: null }, time(0))).toEqual(empty);
  });

  it("an empty edit changes nothing, a removed tag that was never there is no error, and a Deleted family takes no edit", () => {
    expect(editMembers(empty, {}, time(1))).toBe(empty);
    expect(editMembers(empty, { latest: null }, time(1))).toEqual(empty);
    expect(editMembers({ ...empty, status: "Deleted" }, { latest: null }, time(1))).toMatchObject({
      issues: [{ path: "family.status", value: "Deleted" }],
    });
    expect(resolveTag(empty, "latest")).toMatchObject({ issues: [{ path: "tag", value: "latest" }] });
  });
});
