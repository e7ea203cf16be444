import type { DyffEntity } from "../systems/dyff/index.js";
import { dependenciesOf } from "./commands.js";
import { kindOf, type StateMessage } from "./messages.js";

/**
 * The orchestrator's pure rules (status-catalog §1.8): dependencies, transitive failure, and quota
 * accounting per account. No I/O; the orchestrator feeds them its snapshot of the state log and the
 * admission records of its key-value store.
 *
 * @module
 */

/** An account's concurrent quota; a missing field is unlimited. `slots` counts admitted workflows. */
export interface AccountQuota {
  readonly gpu?: number;
  readonly cpu?: number;
  readonly memoryGiB?: number;
  readonly slots?: number;
}

/** Quotas by account; an account without an entry is unlimited. */
export type Quotas = Readonly<Record<string, AccountQuota>>;

/** What an admitted workflow holds until it reaches a terminal status. */
export interface ResourceRequest {
  readonly gpu: number;
  readonly cpu: number;
  readonly memoryGiB: number;
  readonly slots: number;
}

const dimensions = ["gpu", "cpu", "memoryGiB", "slots"] as const;
/**
 * Nothing requested: the start of a sum.
 *
 * @example
 * ```ts
 * addRequest(emptyResourceRequest, requestOf(e)); // requestOf(e)
 * ```
 */
export const emptyResourceRequest: ResourceRequest = { gpu: 0, cpu: 0, memoryGiB: 0, slots: 0 };

/**
 * What a workflow requests: its `resources`, times its replicas (an Evaluation's inference session,
 * an InferenceSession), and one admission slot ("all workflows must consume an admission slot").
 *
 * @example
 * ```ts
 * requestOf(evaluation); // { gpu: 1, cpu: 0, memoryGiB: 0, slots: 1 }
 * ```
 */
export function requestOf(entity: DyffEntity): ResourceRequest {
  const spec = entity.spec as {
    resources?: Partial<ResourceRequest>;
    replicas?: number;
    inferenceSession?: { replicas?: number };
  };
  const r = spec.resources ?? {};
  const n = spec.replicas ?? spec.inferenceSession?.replicas ?? 1;
  return { gpu: (r.gpu ?? 0) * n, cpu: (r.cpu ?? 0) * n, memoryGiB: (r.memoryGiB ?? 0) * n, slots: 1 };
}

/**
 * The sum of two requests.
 *
 * @example
 * ```ts
 * addRequest(requestOf(e1), requestOf(e2)).gpu;
 * ```
 */
export const addRequest = (a: ResourceRequest, b: ResourceRequest): ResourceRequest => ({
  gpu: a.gpu + b.gpu,
  cpu: a.cpu + b.cpu,
  memoryGiB: a.memoryGiB + b.memoryGiB,
  slots: a.slots + b.slots,
});

/**
 * Whether `request` fits next to `usage` within `quota` (a tiny tolerance absorbs float sums of CPUs).
 *
 * @example
 * ```ts
 * fitsQuota(used, requestOf(evaluation), { gpu: 1 });
 * ```
 */
export function fitsQuota(usage: ResourceRequest, request: ResourceRequest, quota: AccountQuota): boolean {
  return dimensions.every((d) => quota[d] === undefined || usage[d] + request[d] <= quota[d] + 1e-9);
}

/**
 * Whether a kind runs computation (passes through Admitted). Dataset, Module and Method do not.
 *
 * @example
 * ```ts
 * computes("Dataset"); // false
 * ```
 */
export const computes = (kind: string): boolean =>
  kindOf(kind)?.lifecycle.spec.statuses.Admitted !== undefined;

const lifecycleOf = (e: DyffEntity) => kindOf(e.kind)!.lifecycle;
/**
 * Whether an entity's status is terminal for its kind.
 *
 * @example
 * ```ts
 * isTerminal(completeEvaluation); // true
 * ```
 */
export const isTerminal = (e: DyffEntity): boolean => lifecycleOf(e).isTerminal(e.status);
/**
 * Whether an entity's status is its kind's success (Complete, Ready).
 *
 * @example
 * ```ts
 * isSuccess(readyModel); // true
 * ```
 */
export const isSuccess = (e: DyffEntity): boolean => lifecycleOf(e).outcome(e.status) === "success";

/** Where a non-terminal entity's dependencies stand. */
export type DependencyState =
  | { readonly type: "satisfied" }
  | { readonly type: "waiting"; readonly on: readonly string[] }
  | { readonly type: "failed"; readonly on: string; readonly because: string };

/** One shared answer for the common case (most work has every dependency met, or none). */
const satisfied: DependencyState = Object.freeze({ type: "satisfied" });

/**
 * The dependency state of every non-terminal entity. A dependency that does not exist yet, or has not
 * finished, is waited for; one that ended without success (failed, terminated, deleted) fails the
 * entity, and so does a dependency that is itself doomed by such a failure: the failure reaches every
 * transitive dependent at once, not one loop through the logs per level.
 *
 * `ids` limits the walk to those entities and the unfinished dependencies they reach, so a caller that
 * knows which entities are unfinished pays for them only, not for every entity ever seen (terminal
 * entities have no dependency state; they are only looked up as dependencies). The walk goes in id
 * order because in a cycle the first entity visited decides what the others see: `ids` holding every
 * non-terminal entity gives exactly the states of the full walk.
 *
 * @example
 * ```ts
 * dependencyStates(states).get("e1"); // { type: "failed", on: "svc1", because: "svc1 is Error/FailedDependency" }
 * dependencyStates(states, unfinishedIds).get("e1"); // the same, visiting only the unfinished entities
 * ```
 */
export function dependencyStates(
  states: ReadonlyMap<string, StateMessage>,
  ids: Iterable<string> = states.keys(),
): Map<string, DependencyState> {
  const result = new Map<string, DependencyState>();
  const visiting = new Set<string>();
  const visit = (id: string): DependencyState | undefined => {
    const state = states.get(id);
    if (!state || isTerminal(state.entity)) return undefined;
    const known = result.get(id);
    if (known) return known;
    if (visiting.has(id)) return { type: "waiting", on: [id] }; // a cycle never becomes satisfied
    visiting.add(id);
    const waiting: string[] = [];
    let outcome: DependencyState | undefined;
    for (const dep of dependenciesOf(state.entity)) {
      const d = states.get(dep)?.entity;
      if (!d) waiting.push(dep);
      else if (isTerminal(d)) {
        if (!isSuccess(d)) {
          outcome = {
            type: "failed",
            on: dep,
            because: `${dep} is ${d.status}${d.reason ? `/${d.reason}` : ""}`,
          };
          break;
        }
      } else {
        const inner = visit(dep);
        if (inner?.type === "failed") {
          outcome = { type: "failed", on: dep, because: inner.because };
          break;
        }
        waiting.push(dep);
      }
    }
    visiting.delete(id);
    const final = outcome ?? (waiting.length > 0 ? { type: "waiting", on: waiting } : satisfied);
    result.set(id, final);
    return final;
  };
  for (const id of [...ids].sort()) visit(id);
  return result;
}

/**
 * FCFS order: creation time, then id. RFC 3339 times are compared as instants; a time that does not
 * parse comes after every time that does (then as text), so the order is total.
 *
 * @example
 * ```ts
 * waiting.sort(admissionOrder);
 * ```
 */
export function admissionOrder(a: DyffEntity, b: DyffEntity): number {
  const ta = Date.parse(a.creationTime);
  const tb = Date.parse(b.creationTime);
  // A total order: work whose creation time does not parse waits behind all work whose time does
  // (comparing such a time as text against a parsed one was not transitive, so a sort and a heap
  // could order the same queue differently).
  const byTime = Number.isNaN(ta)
    ? Number.isNaN(tb)
      ? a.creationTime.localeCompare(b.creationTime)
      : 1
    : Number.isNaN(tb)
      ? -1
      : ta - tb;
  return byTime !== 0 ? byTime : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
