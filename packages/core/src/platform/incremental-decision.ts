import { makeAdmissionQueues } from "./admission-queues.js";
import type { AdmissionRecord } from "./admissions.js";
import { dependenciesOf } from "./commands.js";
import type { StateMessage } from "./messages.js";
import {
  decideEntity,
  mustStop,
  type OrchestratorAction,
  releaseDue,
  wouldEmit,
} from "./orchestration-rules.js";

import { type DependencyState, dependencyStates, isTerminal, type Quotas, requestOf } from "./scheduling.js";

/** What `dependencyStates` gives an unfinished entity without dependencies. */
const noDependencies: DependencyState = Object.freeze({ type: "satisfied" });

/**
 * The orchestrator's decision at the cost of what changed (issue 9: long queues of waiting work).
 * What `decideOrchestration` decides about an entity is a function of its state, its admission
 * record, what was produced for it, and the states its unfinished dependencies reach; the admission
 * walk of an account is a function of its queue and its usage. So an entity is decided again only
 * when one of those changed ("dirty": its own records changed, or a state it depends on, through its
 * unfinished dependents), or when it acted last time (the action may not have been performed, and a
 * performed one changes its records anyway); likewise an account is walked again only when its queue
 * or usage changed or it acted last time. Everything else would decide nothing, as it did last time.
 *
 * @module
 */

/** The view the decision reads; the owner changes it and reports each change. */
export interface DecisionView {
  readonly entities: ReadonlyMap<string, StateMessage>;
  readonly admissions: ReadonlyMap<string, AdmissionRecord>;
  readonly emitted: ReadonlyMap<string, string>;
  /** Every id that can act (`mayAct`): the full walk of the dependencies when they form a cycle. */
  readonly active: ReadonlySet<string>;
}

/** An incremental decision; report every change of the view before the next `decide`. */
export interface IncrementalDecision {
  /** The state of `id` changed. */
  readonly stateChanged: (id: string) => void;
  /** The admission record of `id`, or what was produced for it, changed. */
  readonly recordChanged: (id: string) => void;
  /** Exactly the actions of `decideOrchestration` on the whole view, in its order. */
  readonly decide: () => OrchestratorAction[];
}

/**
 * An incremental decision over `view`, which it reads at every `decide`; its first decision looks
 * at every id that was reported changed.
 *
 * @example
 * ```ts
 * const decision = makeIncrementalDecision({ entities, admissions, emitted, active }, quotas);
 * for (const id of entities.keys()) decision.stateChanged(id);
 * decision.decide(); // as decideOrchestration({ entities, admissions, quotas, emitted })
 * ```
 */
export function makeIncrementalDecision(view: DecisionView, quotas: Quotas): IncrementalDecision {
  const { entities, admissions, emitted, active } = view;
  const queues = makeAdmissionQueues(quotas);
  /** The unfinished entities that depend on an id (it need not exist), and what each was filed under. */
  const dependents = new Map<string, Set<string>>();
  const filed = new Map<string, readonly string[]>();
  let changedStates = new Set<string>();
  let changedRecords = new Set<string>();
  /** What each changed state was filed under before its first change since the last decision. */
  let filedBefore = new Map<string, readonly string[] | undefined>();
  /** The ids that acted in the last decision. */
  let acted = new Set<string>();

  const unfinished = (id: string) => {
    const state = entities.get(id);
    return state !== undefined && !isTerminal(state.entity);
  };
  /** An unfinished entity with dependencies (what it is filed under is current: refiled at each change). */
  const dependsUnfinished = (id: string) => (filed.get(id)?.length ?? 0) > 0 && unfinished(id);

  const refileDependencies = (id: string) => {
    for (const dep of filed.get(id) ?? []) {
      const set = dependents.get(dep);
      set?.delete(id);
      if (set?.size === 0) dependents.delete(dep); // a dependency named twice was removed already
    }
    filed.delete(id);
    if (!unfinished(id)) return;
    const deps = dependenciesOf(entities.get(id)!.entity);
    filed.set(id, deps);
    for (const dep of deps) {
      const set = dependents.get(dep);
      if (set) set.add(id);
      else dependents.set(dep, new Set([id]));
    }
  };

  /**
   * Whether the unfinished entities reachable from `ids` form a cycle (then the walk order matters);
   * `depsOf` gives the dependencies of the starting ids (default: what they are filed under now).
   */
  const reachesCycle = (
    ids: Iterable<string>,
    depsOf: (id: string) => readonly string[] | undefined = (id) => filed.get(id),
  ): boolean => {
    const done = new Set<string>();
    const onPath = new Set<string>();
    const cycleFrom = (id: string, deps: readonly string[] | undefined): boolean => {
      if (done.has(id)) return false;
      if (onPath.has(id)) return true;
      onPath.add(id);
      for (const dep of deps ?? []) if (unfinished(dep) && cycleFrom(dep, filed.get(dep))) return true;
      onPath.delete(id);
      done.add(id);
      return false;
    };
    for (const id of ids) if (cycleFrom(id, depsOf(id))) return true;
    return false;
  };

  /**
   * The ids to decide: those that acted, changed, or depend on a changed state through unfinished
   * work. In a cycle the first entity the full walk visits (in id order) decides what the others see,
   * so a change that alters which entities walk into a cycle (one appears, finishes, fails a
   * dependency on the way, or stops reaching the cycle) can change the states of cycle members that
   * do not depend on it. So when any of those ids reaches a cycle, now or before its change, every id
   * that can act is decided again, as the full walk decides them. Cycles never become satisfied; they
   * are rare, and cost this only while they last.
   */
  const dirtyIds = (): { ids: string[]; cycle: boolean } => {
    const dirty = new Set(acted);
    for (const id of changedRecords) dirty.add(id);
    for (const id of changedStates) dirty.add(id);
    const reached = new Set(changedStates);
    const stack = dependents.size > 0 ? [...changedStates] : [];
    while (stack.length > 0) {
      for (const dependent of dependents.get(stack.pop()!) ?? []) {
        if (reached.has(dependent)) continue;
        reached.add(dependent);
        dirty.add(dependent);
        stack.push(dependent);
      }
    }
    // From an id without dependencies no cycle is reached: only those with some are walked from.
    const cycle =
      reachesCycle([...dirty].filter(dependsUnfinished)) ||
      reachesCycle(filedBefore.keys(), (id) => filedBefore.get(id));
    if (cycle) for (const id of active) dirty.add(id);
    changedStates = new Set();
    changedRecords = new Set();
    filedBefore = new Map();
    return { ids: [...dirty].sort(), cycle };
  };

  return {
    stateChanged: (id) => {
      changedStates.add(id);
      if (!filedBefore.has(id)) filedBefore.set(id, filed.get(id));
      refileDependencies(id);
    },
    recordChanged: (id) => changedRecords.add(id),
    decide: () => {
      const { ids, cycle } = dirtyIds();
      // Acyclic, a dependency state is a function of the states it reaches, whatever the walk's
      // order; in a cycle the first entity visited decides what the others see, so walk as
      // decideOrchestration does (every id that can act, in order).
      // Without a cycle, an unfinished entity without dependencies is satisfied: only those with some are walked.
      const dependencies = dependencyStates(entities, cycle ? active : ids.filter(dependsUnfinished));
      const releases: OrchestratorAction[] = [];
      const decided: OrchestratorAction[] = [];
      acted = new Set();
      for (const id of ids) {
        const state = entities.get(id);
        const admission = admissions.get(id);
        const e = state?.entity;
        const terminal = e !== undefined && isTerminal(e);
        if (e && admission && terminal && releaseDue(e, admission)) {
          releases.push({ type: "release", id, deleteResource: mustStop(e) && !admission.resourceDeleted });
          acted.add(id);
        }
        const holds = e && !terminal && admission && admission.releasedAt === null;
        queues.setHolder(id, holds ? { account: e.account, request: admission.request } : undefined);
        const action =
          state && !terminal
            ? decideEntity(state, admission, dependencies.get(id) ?? noDependencies, emitted)
            : undefined;
        if (action && action !== "candidate") {
          decided.push(action);
          acted.add(id);
        }
        queues.setCandidate(
          id,
          e && action === "candidate"
            ? {
                id,
                account: e.account,
                creationTime: e.creationTime,
                request: requestOf(e),
                unmarked: wouldEmit(state!, "Created", "QuotaLimit", emitted),
              }
            : undefined,
        );
      }
      return [...releases, ...decided, ...queues.decide()];
    },
  };
}
