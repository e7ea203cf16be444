import { DecodeError } from "../../lifecycle/errors.js";
import { applyMergePatch, type Json, jsonEqual, mergePatchBetween } from "./merge-patch.js";

/**
 * Dyff's Revisions and History (dyff-schema 0.46.17, `Revision`, `RevisionData`, `History`,
 * `RestoreEntityAttributes`): an entity's past as immutable Revision entities. The facts are the
 * package's; the rules that join them are phasekit's, stated in the reference:
 * - the first Revision of an entity is a `Snapshot` of it, with no previous revision;
 * - each later Revision holds a `JsonMergePatch`, serialized as a string, that turns *its* state
 *   into the *previous* revision's state (the package's words), and names that revision;
 * - so the entity itself is the newest state, and any older one is rebuilt by applying the patches
 *   newest first: no Revision is ever rewritten;
 * - a change that leaves the entity as it was records nothing;
 * - History lists the Revisions chronologically, newest last, and `latest` is the last.
 *
 * @module
 */

/** The kinds Dyff records Revisions for (`_DyffEntityTypeRevisable`): not History, Revision, Quota. */
export const revisableKinds = [
  "Audit",
  "AuditProcedure",
  "Challenge",
  "DataSource",
  "Dataset",
  "Evaluation",
  "Family",
  "Hazard",
  "InferenceService",
  "InferenceSession",
  "Measurement",
  "Method",
  "Model",
  "Module",
  "OCIArtifact",
  "Pipeline",
  "PipelineRun",
  "Report",
  "SafetyCase",
  "Submission",
  "Team",
  "UseCase",
] as const;

/** A revision as History lists it (`ForeignRevision`). */
export interface RevisionRef {
  readonly id: string;
  readonly previousRevision: string | null;
  readonly creationTime: string;
}

/** One Revision: a full snapshot, or the merge patch back to the previous revision. */
export interface DyffRevision extends RevisionRef {
  readonly kind: "Revision";
  readonly revisionOf: string;
  readonly data:
    | { readonly format: "Snapshot"; readonly snapshot: Json }
    | { readonly format: "JsonMergePatch"; readonly jsonMergePatch: string };
}

/** An entity's History: its revisions, oldest first. */
export interface DyffHistory {
  readonly historyOf: string;
  readonly latest: RevisionRef;
  readonly revisions: readonly RevisionRef[];
}

const ref = (r: RevisionRef): RevisionRef => ({
  id: r.id,
  previousRevision: r.previousRevision,
  creationTime: r.creationTime,
});

/**
 * Records a change of an entity: from `previous` (its state at the latest revision, `null` for a
 * new entity) to `next`. Returns the new Revision and History, `null` when nothing changed, or a
 * DecodeError naming the field (a kind without revisions, a reused revision id, a History of
 * another entity).
 *
 * @example
 * ```ts
 * import { recordRevision } from "@phasekit/core";
 * const first = recordRevision(null, null, { status: "Created" }, { kind: "Model", entity: "m1", id: "r1", at: "2026-01-01T00:00:00Z" });
 * ```
 */
export function recordRevision(
  history: DyffHistory | null,
  previous: Json | null,
  next: Json,
  meta: { readonly kind: string; readonly entity: string; readonly id: string; readonly at: string },
): { readonly revision: DyffRevision; readonly history: DyffHistory } | null | DecodeError {
  const bad = (path: string, value: unknown, expected: string) =>
    new DecodeError("dyff revision", [{ path, value, expected }]);
  if (!(revisableKinds as readonly string[]).includes(meta.kind))
    return bad("kind", meta.kind, `a kind Dyff records revisions for: ${revisableKinds.join(", ")}`);
  if (history !== null && history.historyOf !== meta.entity)
    return bad("history.historyOf", history.historyOf, `the history of ${meta.entity}`);
  if (history?.revisions.some((r) => r.id === meta.id))
    return bad("id", meta.id, "a revision id not used before in this history");
  if (history !== null && previous !== null && jsonEqual(previous, next)) return null;
  const base = { kind: "Revision" as const, id: meta.id, revisionOf: meta.entity, creationTime: meta.at };
  const revision: DyffRevision =
    history === null
      ? { ...base, previousRevision: null, data: { format: "Snapshot", snapshot: next } }
      : {
          ...base,
          previousRevision: history.latest.id,
          data: {
            format: "JsonMergePatch",
            jsonMergePatch: JSON.stringify(mergePatchBetween(next, previous)),
          },
        };
  const revisions = [...(history?.revisions ?? []), ref(revision)];
  return { revision, history: { historyOf: meta.entity, latest: ref(revision), revisions } };
}

/**
 * The entity as it was at revision `id`, rebuilt from its current state (`current`, the state of
 * its newest revision) by applying the revisions' patches newest first. `revisions` are the
 * entity's Revisions, oldest first, as its History lists them.
 *
 * @example
 * ```ts
 * import { reconstruct } from "@phasekit/core";
 * reconstruct({ status: "Ready" }, revisions, "r1"); // { status: "Created" }, say
 * ```
 */
export function reconstruct(
  current: Json,
  revisions: readonly DyffRevision[],
  id: string,
): Json | DecodeError {
  const at = revisions.findIndex((r) => r.id === id);
  if (at < 0)
    return new DecodeError("dyff revision", [
      {
        path: "id",
        value: id,
        expected: `one of ${revisions.map((r) => r.id).join(", ") || "(no revisions)"}`,
      },
    ]);
  const target = revisions[at]!;
  if (target.data.format === "Snapshot") return target.data.snapshot;
  let state = current;
  for (let i = revisions.length - 1; i > at; i--) {
    const data = revisions[i]!.data;
    const path = `revisions[${i}].data`;
    if (data.format === "Snapshot")
      return new DecodeError("dyff revision", [
        {
          path: `${path}.format`,
          value: "Snapshot",
          expected: "JsonMergePatch: a Snapshot does not say what came before it",
        },
      ]);
    let patch: Json;
    try {
      patch = JSON.parse(data.jsonMergePatch) as Json;
    } catch {
      return new DecodeError("dyff revision", [
        {
          path: `${path}.jsonMergePatch`,
          value: data.jsonMergePatch,
          expected: "a JSON merge patch, serialized",
        },
      ]);
    }
    state = applyMergePatch(state, patch);
  }
  return state;
}

/**
 * Whether a RestoreEntity command may change an entity whose current revision is `current`
 * (`undefined` or `null`: the entity has none, legacy data). The package's rule: with a revision,
 * `ifRevisionMatch` (when given) must equal it; without one, `ifRevisionUndefined` decides, and by
 * default the change is made if and only if no other criterion (`ifRevisionMatch`) is given.
 *
 * @example
 * ```ts
 * import { mayRestore } from "@phasekit/core";
 * mayRestore("r2", { ifRevisionMatch: "r1" }); // false: someone changed it since r1
 * ```
 */
export function mayRestore(
  current: string | null | undefined,
  when: { readonly ifRevisionMatch?: string | null; readonly ifRevisionUndefined?: boolean | null },
): boolean {
  const match = when.ifRevisionMatch ?? undefined;
  if (current !== null && current !== undefined) return match === undefined || match === current;
  const undefinedOk = when.ifRevisionUndefined ?? undefined;
  return undefinedOk ?? match === undefined;
}
