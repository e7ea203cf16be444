import { TransitionError } from "../lifecycle/errors.js";
import { type DyffEntity, failureStatus, successStatus } from "../systems/dyff/index.js";
import type { AdmissionRecord } from "./admissions.js";
import { uploadKinds } from "./aggregator.js";
import { kindOf, type StateMessage } from "./messages.js";
import { computes, type DependencyState, type ResourceRequest } from "./scheduling.js";

/**
 * The orchestrator's rules for one entity (status-catalog §1.8), shared by the full decision
 * (`decideOrchestration`) and the incremental one (`OrchestrationIndex.decide`), so that the two
 * differ only in which entities they look at and how they keep the admission queues.
 *
 * @module
 */

export type OrchestratorAction =
  | {
      readonly type: "emit";
      readonly id: string;
      readonly status: string;
      readonly reason: string | null;
      readonly message: string | null;
    }
  /** Compare-and-set `admission/<id>`, create the workflow object, produce `Admitted`. */
  | { readonly type: "admit"; readonly id: string; readonly request: ResourceRequest }
  /** Admitted in the store but the state does not show it yet (a crash, or lag): ensure the object, produce `Admitted`. */
  | { readonly type: "resume"; readonly id: string }
  /** Terminal: the quota is free; delete the workflow object when the work must stop. */
  | { readonly type: "release"; readonly id: string; readonly deleteResource: boolean };

/**
 * The mark of a status produced while the entity was at `version`.
 *
 * @example
 * ```ts
 * emitMark(3, "Created", "QuotaLimit"); // "3|Created/QuotaLimit"
 * ```
 */
export const emitMark = (version: number, status: string, reason: string | null): string =>
  `${version}|${status}/${reason ?? ""}`;

/**
 * Whether the orchestrator would produce `status/reason` for an entity now: it does not show it
 * already, it was not produced for this version, and the machine allows it from the current state.
 *
 * @example
 * ```ts
 * wouldEmit(state, "Created", "QuotaLimit", emitted); // false once shown, or produced for state.version
 * ```
 */
export function wouldEmit(
  state: StateMessage,
  status: string,
  reason: string | null,
  emitted: ReadonlyMap<string, string>,
): boolean {
  const e = state.entity;
  if (e.status === status && e.reason === reason) return false;
  if (emitted.get(e.id) === emitMark(state.version, status, reason)) return false;
  const record = { status: e.status, reason: e.reason, message: e.message, lastTransitionTime: null };
  return !(kindOf(e.kind)!.lifecycle.moveTo(record, { status, reason }) instanceof TransitionError);
}

/**
 * The family of an entity's kind, which names its success and failure statuses.
 *
 * @example
 * ```ts
 * failureStatus[familyOf(evaluation)]; // "Failed"
 * ```
 */
export const familyOf = (e: DyffEntity) => kindOf(e.kind)!.lifecycle.spec.family as "job" | "artifact";

/**
 * Terminated, Deleted and FailedDependency work must stop (its workflow object is deleted);
 * Complete/Failed work has stopped on its own.
 *
 * @example
 * ```ts
 * mustStop({ ...entity, status: "Terminated", reason: "TerminateCommand" }); // true
 * ```
 */
export const mustStop = (e: DyffEntity): boolean =>
  e.status === "Terminated" || e.status === "Deleted" || e.reason === "FailedDependency";

/**
 * Whether a terminal entity's admission still needs a release: its quota was not given back yet, or
 * the work must stop and its workflow object was not deleted yet.
 *
 * @example
 * ```ts
 * releaseDue(completeModel, { ...record, releasedAt: null }); // true
 * ```
 */
export const releaseDue = (entity: DyffEntity, admission: AdmissionRecord): boolean =>
  admission.releasedAt === null || (mustStop(entity) && !admission.resourceDeleted);

/** The messages of Created/QuotaLimit: an item larger than the whole quota, and an item waiting its turn. */
export const quotaLimitMessages = {
  tooBig: "requests more than the account's whole quota",
  waiting: "waiting for the account's quota",
} as const;

/** An emit of `status`/`reason` for the entity, unless it would not be produced (`wouldEmit`). */
const emitAction = (
  state: StateMessage,
  emitted: ReadonlyMap<string, string>,
  status: string,
  reason: string | null,
  message: string | null,
): OrchestratorAction | undefined =>
  wouldEmit(state, status, reason, emitted)
    ? { type: "emit", id: state.entity.id, status, reason, message }
    : undefined;

/**
 * What the orchestrator does about one unfinished entity, apart from admission: a status for a
 * failed or missing dependency, Ready for a kind that does not compute, a resume for work admitted
 * in the store that does not show it yet; `"candidate"` when it waits for admission (it computes, is
 * Created, its dependencies are satisfied, it has no admission); nothing otherwise.
 *
 * @example
 * ```ts
 * decideEntity(state, admissions.get(id), dependencyStates(states).get(id)!, emitted); // "candidate"
 * ```
 */
export function decideEntity(
  state: StateMessage,
  admission: AdmissionRecord | undefined,
  deps: DependencyState,
  emitted: ReadonlyMap<string, string>,
): OrchestratorAction | "candidate" | undefined {
  const e = state.entity;
  if (deps.type === "failed")
    return emitAction(
      state,
      emitted,
      failureStatus[familyOf(e)],
      "FailedDependency",
      `dependency ${deps.on} failed: ${deps.because}`,
    );
  if (deps.type === "waiting")
    return emitAction(
      state,
      emitted,
      "Created",
      "UnsatisfiedDependency",
      `waiting for ${deps.on.join(", ")}`,
    );
  if (!computes(e.kind))
    return uploadKinds.has(e.kind)
      ? undefined
      : emitAction(state, emitted, successStatus[familyOf(e)], null, null);
  if (admission)
    return e.status === "Created" && emitted.get(e.id) !== emitMark(state.version, "Admitted", null)
      ? { type: "resume", id: e.id }
      : undefined;
  return e.status === "Created" ? "candidate" : undefined;
}
