import { DecodeError } from "../../lifecycle/errors.js";

/**
 * Dyff's Family (dyff-schema 0.46.17, `Family`, `FamilyMember`, `EditFamilyMembers`; dyff-client's
 * `families.edit_members` and `get_member`): a version group, whose named tags point at members,
 * Dyff's answer to "latest" (the seed's "Data object versioning", Docker-like tags). Rules:
 * - an edit is a JSON merge patch of the tags: a tag given an entity points at it (created, or
 *   moved, with the edit's time as its creationTime); `null` removes the tag; a tag the edit does not
 *   name never changes, so no tag moves by itself: `latest` moves when an edit moves it, not when a
 *   newer member is created;
 * - an edit is all or nothing: a bad tag name or a member of the wrong kind refuses the whole edit;
 *   an empty edit changes nothing; a Deleted family takes no edit;
 * - a member's deletion (its status becomes Deleted) moves or removes no tag: the reference stays
 *   valid (nothing is removed in Dyff), {@link resolveTag} still answers it, and
 *   {@link tagForNewWork} refuses it, since a Deleted entity may not be used by new workflows.
 *
 * @module
 */

/** The kinds a Family may group (`FamilyMemberKind`). */
export const familyMemberKinds = ["Dataset", "InferenceService", "Method", "Model", "Module"] as const;
export type FamilyMemberKind = (typeof familyMemberKinds)[number];

/** A tag name: an OCI image tag (`TagName`). */
export const TAG_NAME = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

export interface FamilyMember {
  readonly name: string;
  readonly family: string;
  readonly entity: { readonly kind: string; readonly id: string };
  readonly description: string | null;
  /** When the tag was set to this entity. */
  readonly creationTime: string;
}

/** The part of a Family the tag rules read and write. */
export interface DyffVersionFamily {
  readonly id: string;
  readonly status: string;
  readonly memberKind: FamilyMemberKind;
  readonly members: Readonly<Record<string, FamilyMember>>;
}

/** One edit: tag -> the member it now names, or `null` to remove the tag. */
export type MembersEdit = Readonly<
  Record<
    string,
    {
      readonly entity: { readonly kind: string; readonly id: string };
      readonly description?: string | null;
    } | null
  >
>;

/**
 * Applies an `EditFamilyMembers` edit made at `at`. Returns the new family or a DecodeError naming
 * every bad tag.
 *
 * @example
 * ```ts
 * import { editMembers } from "@phasekit/core";
 * const fam = { id: "f1", status: "Ready", memberKind: "Model" as const, members: {} };
 * const next = editMembers(fam, { latest: { entity: { kind: "Model", id: "m2" } } }, "2026-01-01T00:00:00Z");
 * ```
 */
export function editMembers(
  family: DyffVersionFamily,
  edit: MembersEdit,
  at: string,
): DyffVersionFamily | DecodeError {
  if (family.status === "Deleted")
    return new DecodeError("dyff family edit", [
      { path: "family.status", value: family.status, expected: "a family that is not Deleted" },
    ]);
  const issues = Object.entries(edit).flatMap(([tag, m]) => [
    ...(TAG_NAME.test(tag)
      ? []
      : [
          {
            path: `members.${tag}`,
            value: tag,
            expected: "a tag name: a letter, digit or '_', then up to 127 of those, '.' or '-'",
          },
        ]),
    ...(m === null || m.entity.kind === family.memberKind
      ? []
      : [
          {
            path: `members.${tag}.entity.kind`,
            value: m.entity.kind,
            expected: `${family.memberKind}, the family's memberKind`,
          },
        ]),
  ]);
  if (issues.length > 0) return new DecodeError("dyff family edit", issues);
  if (Object.keys(edit).length === 0) return family;
  const members: Record<string, FamilyMember> = { ...family.members };
  for (const [tag, m] of Object.entries(edit)) {
    if (m === null) delete members[tag];
    else
      members[tag] = {
        name: tag,
        family: family.id,
        entity: { kind: m.entity.kind, id: m.entity.id },
        description: m.description ?? null,
        creationTime: at,
      };
  }
  return { ...family, members };
}

/**
 * The entity a tag names, whatever its status (as dyff-client's `get_member` answers it), or a
 * DecodeError when the family has no such tag.
 *
 * @example
 * ```ts
 * import { resolveTag } from "@phasekit/core";
 * resolveTag(fam, "latest"); // { kind: "Model", id: "m2" }
 * ```
 */
export function resolveTag(
  family: DyffVersionFamily,
  tag: string,
): { readonly kind: string; readonly id: string } | DecodeError {
  const m = family.members[tag];
  if (m !== undefined) return m.entity;
  const tags = Object.keys(family.members);
  return new DecodeError("dyff family tag", [
    {
      path: "tag",
      value: tag,
      expected: `one of ${tags.length > 0 ? tags.join(", ") : "(the family has no tags)"}`,
    },
  ]);
}

/**
 * The entity a tag names, for a new workflow: refused when the member is Deleted (the tag still
 * points at it; move it with an edit). `statusOf` gives a member's current status.
 *
 * @example
 * ```ts
 * import { tagForNewWork } from "@phasekit/core";
 * tagForNewWork(fam, "latest", (id) => (id === "m2" ? "Deleted" : "Ready")); // a DecodeError
 * ```
 */
export function tagForNewWork(
  family: DyffVersionFamily,
  tag: string,
  statusOf: (id: string) => string | undefined,
): { readonly kind: string; readonly id: string } | DecodeError {
  const entity = resolveTag(family, tag);
  if (entity instanceof DecodeError) return entity;
  const status = statusOf(entity.id);
  if (status === "Deleted")
    return new DecodeError("dyff family tag", [
      {
        path: `members.${tag}.entity`,
        value: entity.id,
        expected:
          "a member that is not Deleted: a Deleted entity may not be used by new workflows (move the tag)",
      },
    ]);
  return entity;
}
