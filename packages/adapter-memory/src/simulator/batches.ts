import type { ScenarioFaults, ScenarioResource } from "./scenario.js";

/**
 * Which creates of a scenario may share one settle (`runScenario(s, { batchCreates: true })`): a
 * burst arrives at one instant, and settling the whole control plane after each create costs ~4
 * rounds of every service per create. A batch must end as the same creates one by one end: the same
 * final statuses, the same admissions, in the same order within each account (the property test in
 * batches.test.ts holds it to that on generated scenarios). So a batch is a run of creates that the
 * agenda would perform one after the other at one instant, where
 * - the ids grow and the kind stays the same: the orchestrator queues an account's work by
 *   (creation time, id), and the operator and the cluster place steps by (kind, name); within one
 *   instant these orders are then the order of creation, as one by one;
 * - no create depends on another of the batch: the command API looks dependencies up in the query
 *   view, which shows the batch's objects only after the settle;
 * - it holds at most {@link maxBatch} creates, what every service takes in one poll: the orchestrator
 *   then sees the whole batch at once and queues it in that order (a bigger batch would reach it
 *   in partition order, a few hundred at a time, and it would admit from whichever part came first);
 * - no delivery fault is injected (duplicates, crashes, reordering, stale reads draw from the seed
 *   per delivery and per read, so fewer settles would draw differently): with one, nothing batches;
 * - no informer lag: with one, the instant a step's finish reaches the view depends on the rounds
 *   around it, and a burst settled once ended 3 s earlier than one by one (fast-check seed
 *   1931321469), with the same statuses and admissions. Exact means the same end too.
 *
 * @module
 */

/** What the scenario runner schedules for the resources: one create, an upload, or a batch of creates. */
export type ResourcePlan =
  | { readonly type: "create"; readonly at: number; readonly resource: ScenarioResource }
  | { readonly type: "upload"; readonly at: number; readonly resource: ScenarioResource }
  | { readonly type: "batch"; readonly at: number; readonly resources: readonly ScenarioResource[] };

const uploadedAt = (r: ScenarioResource) => (r.uploadedAt === undefined ? r.at : r.uploadedAt);

/** The largest batch: the records every service of the simulator polls at once (their default). */
export const maxBatch = 500;

/** True when a scenario's faults leave batching exact (see the module comment). */
export const batchingExact = (f: ScenarioFaults): boolean =>
  f.duplicate === 0 && f.crashBeforeCommit === 0 && !f.reorder && f.staleReads === 0 && f.informerLag === 0;

/**
 * Whether `next` may join `batch` (non-empty, in creation order; `ids`: its members' ids); see the
 * module comment.
 *
 * @example
 * ```ts
 * batchable([m1], new Set(["m1"]), m2); // true when m2 is a Model too, "m2" > "m1" and m2 needs no m1
 * ```
 */
export function batchable(
  batch: readonly ScenarioResource[],
  ids: ReadonlySet<string>,
  next: ScenarioResource,
): boolean {
  const last = batch[batch.length - 1]!;
  return (
    batch.length < maxBatch &&
    next.kind === last.kind &&
    next.id > last.id &&
    !next.needs.some((id) => ids.has(id))
  );
}

/**
 * The resource actions in the order the scenario runner schedules them (each create, then its
 * upload when it is a Dataset), with runs of batchable creates merged when `batch` is on. The agenda
 * orders actions by (time, order scheduled), so two creates are consecutive at an instant when no
 * other action of that instant is scheduled between them.
 *
 * @example
 * ```ts
 * planResources(scenario.resources, true).filter((p) => p.type === "batch").length;
 * ```
 */
export function planResources(resources: readonly ScenarioResource[], batch: boolean): ResourcePlan[] {
  const plan: ResourcePlan[] = [];
  /** Every run of creates: where it sits in `plan`, and its members; `open`: the one still growing per instant. */
  type Run = { index: number; members: ScenarioResource[]; ids: Set<string> };
  const runs: Run[] = [];
  const open = new Map<number, Run>();
  for (const r of resources) {
    const current = open.get(r.at);
    if (batch && current && batchable(current.members, current.ids, r)) {
      current.members.push(r);
      current.ids.add(r.id);
    } else {
      const run = { index: plan.length, members: [r], ids: new Set([r.id]) };
      runs.push(run);
      open.set(r.at, run);
      plan.push({ type: "create", at: r.at, resource: r });
    }
    const upload = uploadedAt(r);
    if (r.kind === "Dataset" && upload !== null) {
      plan.push({ type: "upload", at: upload, resource: r });
      open.delete(upload); // the upload is scheduled after the open batch: later creates come after it
    }
  }
  for (const { index, members } of runs)
    if (members.length > 1) plan[index] = { type: "batch", at: members[0]!.at, resources: members };
  return plan;
}
