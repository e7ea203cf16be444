import type { ClusterObject } from "../ports/Cluster.js";
import { workflowPlans } from "./plans.js";
import { stepKinds } from "./steps.js";

/**
 * The operator's cache of the cluster, kept from the change feed (see {@link ObservedWorkflows}).
 *
 * @module
 */

const stepKey = (kind: string, name: string) => `${kind}/${name}`;

/**
 * The key a workflow is kept under.
 *
 * @example
 * ```ts
 * workflowKey({ kind: "Evaluation", name: "e1" }); // "Evaluation/e1"
 * ```
 */
export const workflowKey = (o: { readonly kind: string; readonly name: string }): string =>
  stepKey(o.kind, o.name);

const workflowKinds = Object.keys(workflowPlans);
/** The kinds the operator watches: steps and workflows. */
export const watchedKinds = [...new Set([...stepKinds, ...workflowKinds])];
const kindRank = new Map(workflowKinds.map((k, i) => [k, i]));
/** Workflows in the order a full pass would take them: by kind as `workflowPlans` lists them, then by name. */
const passOrder = (a: ClusterObject, b: ClusterObject) =>
  kindRank.get(a.kind)! - kindRank.get(b.kind)! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * What the operator has observed of the cluster, kept from its change feed (an informer's cache),
 * and which workflows need reconciling: those that changed, whose steps changed, or whose last
 * reconcile acted or could not finish. A workflow nothing touched since a reconcile that found
 * nothing to do would be decided the same again (reconcileWorkflow is a function of the workflow and
 * its steps), so it is skipped: a pass costs what changed, not what exists.
 *
 * @example
 * ```ts
 * const observed = new ObservedWorkflows();
 * observed.apply(changes.objects, changes.deleted, changes.full);
 * for (const workflow of observed.due()) reconcileWorkflow(workflow, observed.steps, now);
 * ```
 */
export class ObservedWorkflows {
  readonly workflows = new Map<string, ClusterObject>();
  readonly steps = new Map<string, ClusterObject>();
  /** Workflow keys by name: steps name their workflow by name only. */
  private readonly byName = new Map<string, Set<string>>();
  readonly dirty = new Set<string>();

  /** Takes in one answer of the change feed. */
  apply(
    objects: readonly ClusterObject[],
    deleted: readonly { kind: string; name: string }[],
    full: boolean,
  ) {
    if (full) {
      this.workflows.clear();
      this.steps.clear();
      this.byName.clear();
      this.dirty.clear();
    }
    for (const d of deleted) this.remove(stepKey(d.kind, d.name));
    for (const o of objects) {
      const key = stepKey(o.kind, o.name);
      if (o.owner === null && kindRank.has(o.kind)) {
        this.steps.delete(key);
        this.workflows.set(key, o);
        let keys = this.byName.get(o.name);
        if (!keys) this.byName.set(o.name, (keys = new Set()));
        keys.add(key);
        this.dirty.add(key);
      } else {
        if (this.workflows.has(key)) this.remove(key);
        const old = this.steps.get(key);
        if (o.owner !== null && (stepKinds as readonly string[]).includes(o.kind)) {
          this.steps.set(key, o);
          if (old && old.owner !== o.owner) this.touchOwner(old.owner!);
          this.touchOwner(o.owner);
        } else if (old) {
          this.steps.delete(key);
          this.touchOwner(old.owner!);
        }
      }
    }
  }

  /** The dirty workflows in pass order. */
  due(): ClusterObject[] {
    const due: ClusterObject[] = [];
    for (const key of this.dirty) {
      const workflow = this.workflows.get(key);
      if (workflow) due.push(workflow);
      else this.dirty.delete(key);
    }
    return due.sort(passOrder);
  }

  private remove(key: string) {
    const workflow = this.workflows.get(key);
    if (workflow) {
      this.workflows.delete(key);
      this.dirty.delete(key);
      this.byName.get(workflow.name)?.delete(key);
    }
    const step = this.steps.get(key);
    if (step) {
      this.steps.delete(key);
      this.touchOwner(step.owner!);
    }
  }

  private touchOwner(owner: string) {
    for (const key of this.byName.get(owner) ?? []) this.dirty.add(key);
  }
}
