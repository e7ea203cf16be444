import * as Effect from "effect/Effect";
import {
  Cluster,
  type ClusterCursor,
  type ClusterError,
  type ClusterObject,
  type Condition,
  type NewClusterObject,
} from "../ports/Cluster.js";
import { type FlatPlan, flatPlan, kept, stageDone } from "./flat-plans.js";
import { kindOf } from "./messages.js";
import { ObservedWorkflows, watchedKinds, workflowKey } from "./observed-workflows.js";
import {
  dyffReason,
  terminalConditionTypes,
  type WorkflowPlan,
  workflowCondition,
  workflowPlans,
} from "./plans.js";
import { type StepPhase, type StepSpec, stepActive, stepLabels, stepName, stepPhase } from "./steps.js";

/**
 * The dyff-operator (walkthrough step 9): turns each workflow object on the cluster into its steps
 * and writes the workflow's conditions from what the steps report. Level-based: every decision is a
 * function of the objects observed now ({@link reconcileWorkflow}); nothing is remembered between runs.
 *
 * @module
 */

export type OperatorAction =
  | { readonly type: "createStep"; readonly object: NewClusterObject }
  | { readonly type: "deleteStep"; readonly kind: string; readonly name: string }
  | { readonly type: "writeConditions"; readonly conditions: readonly Condition[] };

/** A reconcile result, controller-runtime style: what to do, and when to look again (seconds) if nothing changes. */
export interface Reconcile {
  readonly actions: readonly OperatorAction[];
  readonly requeueAfter?: number;
}

/**
 * How long to wait before looking again at a workflow whose steps are still running.
 *
 * @example
 * ```ts
 * reconcileWorkflow(running, steps, now).requeueAfter; // operatorRequeueSeconds
 * ```
 */
export const operatorRequeueSeconds = 10;

const stepKey = (kind: string, name: string) => `${kind}/${name}`;

/**
 * Sets a condition by type, keeping its lastTransitionTime when nothing about it changed (as `meta.SetStatusCondition`).
 *
 * @example
 * ```ts
 * setCondition(conditions, workflowCondition("Admitted", "Unverified", now));
 * ```
 */
export function setCondition(conditions: readonly Condition[], next: Condition): Condition[] {
  const old = conditions.find((c) => c.type === next.type);
  if (old && old.status === next.status && old.reason === next.reason && old.message === next.message)
    return [...conditions];
  return [...conditions.filter((c) => c.type !== next.type), next];
}

/**
 * Whether two condition lists are the same, field by field and in order (what a status write that
 * changes nothing looks like).
 *
 * @example
 * ```ts
 * sameConditions(object.conditions, setCondition(object.conditions, next)); // true: nothing new
 * ```
 */
export const sameConditions = (a: readonly Condition[], b: readonly Condition[]): boolean =>
  a.length === b.length &&
  a.every((c, i) => {
    const d = b[i]!;
    return (
      c.type === d.type &&
      c.status === d.status &&
      c.reason === d.reason &&
      c.message === d.message &&
      c.lastTransitionTime === d.lastTransitionTime
    );
  });

function requested(workflow: ClusterObject): StepSpec["resources"] {
  const r = (workflow.spec as { request?: Partial<StepSpec["resources"]> } | null)?.request ?? {};
  return { gpu: r.gpu ?? 0, cpu: r.cpu ?? 0, memoryGiB: r.memoryGiB ?? 0 };
}

const outcomes = new Map<string, string>();
/** The kind's status of that outcome (`Complete`/`Failed` for jobs, `Ready`/`Error` for artifacts). */
const outcomeStatus = (kind: string, outcome: "success" | "failure") => {
  const key = `${kind}/${outcome}`;
  let status = outcomes.get(key);
  if (status === undefined) {
    const statuses = kindOf(kind)!.lifecycle.spec.statuses;
    status = Object.keys(statuses).find((s) => statuses[s]!.outcome === outcome)!;
    outcomes.set(key, status);
  }
  return status;
};

const none: readonly number[] = [];

/**
 * The steps to delete: active steps not kept (while the workflow runs, `serversOnly`: only servers,
 * as jobs end on their own and a lagging read may show a finished job as running).
 */
function cleanup(
  flat: FlatPlan,
  names: readonly string[],
  phases: readonly StepPhase[],
  keep: readonly number[],
  serversOnly: boolean,
  actions: OperatorAction[],
): OperatorAction[] {
  for (let i = 0; i < flat.steps.length; i++) {
    const t = flat.steps[i]!;
    if (!kept(names, keep, i) && (t.server || !serversOnly) && stepActive(phases[i]!))
      actions.push({ type: "deleteStep", kind: t.kind, name: names[i]! });
  }
  return actions;
}

/** A session that succeeded is Ready because it serves: its servers stay until it is Deleted. */
const serving = (plan: WorkflowPlan, kind: string, terminal: string) =>
  plan.servesWhenReady === true && terminal === outcomeStatus(kind, "success");

/** {@link setCondition} that answers the same array when nothing about the condition changed. */
function withCondition(conditions: readonly Condition[], next: Condition): readonly Condition[] {
  const old = conditions.find((c) => c.type === next.type);
  if (old && old.status === next.status && old.reason === next.reason && old.message === next.message)
    return conditions;
  return [...conditions.filter((c) => c.type !== next.type), next];
}

/** Whether `conditions` hold the Admitted condition {@link workflowCondition} would write for `reason`. */
function admittedAlready(conditions: readonly Condition[], reason: string | null): boolean {
  for (const c of conditions)
    if (c.type === "Admitted")
      return c.status === "True" && c.reason === (reason ?? "Admitted") && c.message === "";
  return false;
}

/**
 * Decides what to do for one workflow object, given its steps (keyed `<kind>/<name>`). The current
 * stage is the first not done; its missing steps are created; servers of earlier stages are deleted;
 * the workflow's conditions become `Admitted` (with the reason of the last finished stage, e.g.
 * `Unverified`), plus `Complete`/`Ready` when every stage is done or `Failed`/`Error` with the stage's
 * failure reason when a step failed. A workflow with a terminal condition is finished: only its
 * still-active steps are deleted, except the servers of a plan that `servesWhenReady` once it has
 * succeeded (a Ready InferenceSession serves until it is Deleted).
 *
 * @example
 * ```ts
 * const { actions, requeueAfter } = reconcileWorkflow(evaluation, steps, now);
 * ```
 */
export function reconcileWorkflow(
  workflow: ClusterObject,
  steps: ReadonlyMap<string, ClusterObject>,
  now: string,
): Reconcile {
  const plan = workflowPlans[workflow.kind];
  if (!plan || !kindOf(workflow.kind)) return { actions: [] };
  // Each step's name and phase, looked up once (no closure per call: under tsx each would pay a `__name`).
  const flat = flatPlan(plan);
  const count = flat.steps.length;
  const names: string[] = new Array(count);
  const objects: (ClusterObject | undefined)[] = new Array(count);
  const phases: StepPhase[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const t = flat.steps[i]!;
    names[i] = stepName(workflow.name, t.role);
    objects[i] = steps.get(stepKey(t.kind, names[i]!));
    phases[i] = stepPhase(objects[i]);
  }

  let finished: Condition | undefined;
  for (const c of workflow.conditions)
    if (c.status === "True" && (terminalConditionTypes as readonly string[]).includes(c.type)) {
      finished = c;
      break;
    }
  if (finished) {
    const keep = serving(plan, workflow.kind, finished.type) ? flat.lastServers : none;
    return { actions: cleanup(flat, names, phases, keep, false, []) };
  }

  // The workflow's own Admitted reason is part of what we observe: a stage it records as done stays
  // done, even if a lagging read of the steps says otherwise, so conditions never move backwards.
  const admitted = workflow.conditions.find((c) => c.type === "Admitted" && c.status === "True");
  const recorded = admitted ? dyffReason(admitted) : null;
  const reached = recorded === null ? -1 : plan.stages.findIndex((s) => s.doneReason === recorded);

  let admittedReason: string | null = null;
  let terminal: Condition | undefined;
  let running = -1;
  for (let i = 0; i < plan.stages.length; i++) {
    const stage = plan.stages[i]!;
    if (i <= reached) {
      admittedReason = stage.doneReason ?? admittedReason;
      continue;
    }
    const from = flat.stageStart[i]!;
    const to = flat.stageStart[i + 1]!;
    let failed = -1;
    for (let j = from; j < to && failed < 0; j++) if (phases[j] === "failed") failed = j;
    if (failed >= 0) {
      const message = objects[failed]!.conditions.find((c) => c.type === "Failed")?.message ?? "";
      terminal = workflowCondition(
        outcomeStatus(workflow.kind, "failure"),
        stage.failureReason,
        now,
        message,
      );
      break;
    }
    if (!stageDone(flat, from, to, phases)) {
      running = i;
      break;
    }
    if (i === plan.stages.length - 1)
      terminal = workflowCondition(outcomeStatus(workflow.kind, "success"), null, now);
    else admittedReason = stage.doneReason ?? admittedReason;
  }

  const actions: OperatorAction[] = [];
  let keep = none;
  if (running >= 0) {
    const runningSteps: number[] = [];
    for (let i = flat.stageStart[running]!; i < flat.stageStart[running + 1]!; i++) {
      runningSteps.push(i);
      if (phases[i] === "absent")
        actions.push({ type: "createStep", object: stepObject(workflow, flat.steps[i]!, names[i]!) });
    }
    keep = runningSteps;
  } else if (terminal && serving(plan, workflow.kind, terminal.type)) keep = flat.lastServers;
  cleanup(flat, names, phases, keep, terminal === undefined, actions);
  // The Admitted condition is built only when it changes (a reconcile that finds it as it should be
  // keeps the same array, as `withCondition` would).
  let conditions = admittedAlready(workflow.conditions, admittedReason)
    ? workflow.conditions
    : withCondition(workflow.conditions, workflowCondition("Admitted", admittedReason, now));
  if (terminal) conditions = withCondition(conditions, terminal);
  if (conditions !== workflow.conditions && !sameConditions(conditions, workflow.conditions))
    actions.push({ type: "writeConditions", conditions });
  return terminal ? { actions } : { actions, requeueAfter: operatorRequeueSeconds };
}

function stepObject(
  workflow: ClusterObject,
  t: { role: StepSpec["role"]; kind: string; usesResources?: boolean },
  name: string,
): NewClusterObject {
  const spec: StepSpec = {
    workflow: { kind: workflow.kind, id: workflow.name },
    role: t.role,
    resources: t.usesResources ? requested(workflow) : { gpu: 0, cpu: 0, memoryGiB: 0 },
  };
  return {
    kind: t.kind,
    name,
    owner: workflow.name,
    labels: {
      [stepLabels.workflow]: workflow.name,
      [stepLabels.workflowKind]: workflow.kind,
      [stepLabels.role]: t.role,
    },
    spec,
  };
}

const isAlreadyExists = (e: ClusterError) => e.code === "AlreadyExists";
const isNotFound = (e: ClusterError) => e.code === "NotFound";
const isConflict = (e: ClusterError) => e.code === "Conflict";
const ignore = () => Effect.void;

export interface OperatorOptions {
  /** How often a status write is retried after a Conflict before the workflow waits for the next run (default 3). */
  readonly conflictRetries?: number;
}

/** A running operator; `runOnce(now)` reconciles the workflow objects that changed and returns how many actions it took. */
export interface Operator {
  readonly runOnce: (now: string) => Effect.Effect<number, ClusterError>;
}

/**
 * Starts an operator. `runOnce(now)` reads what changed on the cluster since its last run (all of
 * it on the first run, or whenever the feed answers with a full listing), reconciles each workflow
 * that changed or whose steps changed, in a fixed order (kind, then name), and performs the actions:
 * a create that finds the step already there, or a delete that finds it gone, is fine; a status
 * write that meets a Conflict re-reads the workflow and decides again, and one that meets NotFound
 * (the workflow was deleted meanwhile) is dropped. A workflow whose reconcile acted, or gave up
 * after conflicts, is reconciled again on the next run.
 *
 * @example
 * ```ts
 * const operator = yield* makeOperator();
 * yield* operator.runOnce("2026-01-01T00:00:10Z");
 * ```
 */
export const makeOperator = (options: OperatorOptions = {}): Effect.Effect<Operator, never, Cluster> =>
  Effect.gen(function* () {
    const cluster = yield* Cluster;
    const retries = options.conflictRetries ?? 3;
    const observed = new ObservedWorkflows();
    let cursor: ClusterCursor | null = null;

    const perform = (workflow: ClusterObject, action: OperatorAction) => {
      switch (action.type) {
        case "createStep":
          return Effect.catchIf(cluster.create(action.object), isAlreadyExists, ignore);
        case "deleteStep":
          return Effect.catchIf(cluster.delete(action.kind, action.name), isNotFound, ignore);
        case "writeConditions":
          // NotFound: the workflow was deleted since we listed it (terminated); nothing left to write.
          return Effect.catchIf(
            cluster.writeConditions(
              workflow.kind,
              workflow.name,
              workflow.resourceVersion,
              action.conditions,
            ),
            isNotFound,
            ignore,
          );
      }
    };

    /** The actions from `i` on, one after the other (a reconcile decides one to three: no `forEach` loop). */
    const performAll = (
      workflow: ClusterObject,
      actions: readonly OperatorAction[],
      i: number,
    ): Effect.Effect<unknown, ClusterError> =>
      i === actions.length - 1
        ? perform(workflow, actions[i]!)
        : Effect.flatMap(perform(workflow, actions[i]!), () => performAll(workflow, actions, i + 1));

    /**
     * Performs what a reconcile of `workflow` decided (`actions`, not empty): how many actions it
     * took, and whether it must be looked at again.
     */
    const act = (
      workflow: ClusterObject,
      actions: readonly OperatorAction[],
      steps: ReadonlyMap<string, ClusterObject>,
      now: string,
      attempt: number,
    ): Effect.Effect<{ acted: number; again: boolean }, ClusterError> =>
      performAll(workflow, actions, 0).pipe(
        Effect.as({ acted: actions.length, again: true }),
        // A Conflict means someone wrote the workflow since we read it: decide again from a fresh read,
        // and after `retries` attempts leave it to the next run.
        Effect.catchIf(isConflict, () =>
          attempt >= retries
            ? Effect.succeed({ acted: 0, again: true })
            : Effect.flatMap(cluster.get(workflow.kind, workflow.name), (fresh) => {
                if (!fresh) return Effect.succeed({ acted: 0, again: false });
                const { actions } = reconcileWorkflow(fresh, steps, now);
                return actions.length === 0
                  ? Effect.succeed({ acted: 0, again: false })
                  : act(fresh, actions, steps, now, attempt + 1);
              }),
        ),
      );

    // Generator functions made once (`fnUntraced`), not per call: a fresh `function*` costs V8 a new map.
    const runOnce = Effect.fnUntraced(function* (now: string) {
      const changes = yield* cluster.changes(watchedKinds, cursor);
      observed.apply(changes.objects, changes.deleted, changes.full);
      cursor = changes.cursor;
      let done = 0;
      for (const workflow of observed.due()) {
        // Decided outside any Effect: about half the reconciles of a run find nothing to do.
        const { actions } = reconcileWorkflow(workflow, observed.steps, now);
        if (actions.length === 0) {
          observed.dirty.delete(workflowKey(workflow));
          continue;
        }
        const { acted, again } = yield* act(workflow, actions, observed.steps, now, 0);
        done += acted;
        if (!again) observed.dirty.delete(workflowKey(workflow));
      }
      return done;
    });
    return { runOnce };
  });
