import type { RunaiNode } from "./scenario.js";

/**
 * The Run:ai scheduler's decisions, pure: which nodes a job's pods fit on, how many of a project's
 * GPUs are in quota, and which over-quota work to preempt so that a job within its project's quota
 * gets its GPUs. The engine applies them.
 *
 * @module
 */

/** GPUs of one pod on one node. */
export interface Allocation {
  readonly node: string;
  readonly gpu: number;
}

/** A job that holds GPUs, as the scheduler sees it. */
export interface Holder {
  readonly id: string;
  readonly project: string;
  readonly allocation: readonly Allocation[];
  /** Counted within its project's quota (else it runs over quota, on GPUs another project deserves). */
  readonly inQuota: boolean;
  /** Training and distributed jobs are; an interactive job only with `preemptible: true`. */
  readonly preemptible: boolean;
  /** Its pods are being deleted: the GPUs come back when they stop. */
  readonly terminating: boolean;
  /** When it was bound, for "newest first". */
  readonly boundSeq: number;
}

export const gpusOf = (allocation: readonly Allocation[]) => allocation.reduce((n, a) => n + a.gpu, 0);

/** Free GPUs per node (in the nodes' order), leaving out the GPUs of `holders`. */
export function freeGpus(nodes: readonly RunaiNode[], holders: readonly Holder[]): Map<string, number> {
  const free = new Map(nodes.map((n) => [n.name, n.gpu] as const));
  for (const h of holders) for (const a of h.allocation) free.set(a.node, (free.get(a.node) ?? 0) - a.gpu);
  return free;
}

/**
 * Places pods (their GPU counts) on nodes, best fit: each pod goes to the node with the fewest free
 * GPUs that still has room for it, so large holes stay open for large jobs. `tie` picks among nodes
 * that fit equally well (the engine draws it from the seed); without it the first such node wins.
 * Returns null when some pod does not fit (gang scheduling: all of a job's pods or none).
 *
 * @example
 * ```ts
 * fitPods(new Map([["a", 4], ["b", 2]]), [2]); // [{ node: "b", gpu: 2 }]
 * ```
 */
export function fitPods(
  free: ReadonlyMap<string, number>,
  pods: readonly number[],
  tie?: (candidates: number) => number,
): Allocation[] | null {
  const left = new Map(free);
  const out: Allocation[] = [];
  for (const gpu of pods) {
    let best: string[] = [];
    let bestFree = Number.POSITIVE_INFINITY;
    for (const [node, n] of left) {
      if (n < gpu) continue;
      if (n < bestFree) [best, bestFree] = [[node], n];
      else if (n === bestFree) best.push(node);
    }
    if (best.length === 0) return null;
    const node = best[best.length > 1 && tie ? tie(best.length) : 0]!;
    left.set(node, bestFree - gpu);
    out.push({ node, gpu });
  }
  return out;
}

/** GPUs of a project's jobs that are counted within its quota. */
export const inQuotaUse = (holders: readonly Holder[], project: string) =>
  holders.filter((h) => h.project === project && h.inQuota).reduce((n, h) => n + gpusOf(h.allocation), 0);

/**
 * What a job within its project's quota can do when its pods do not fit now: `wait` when GPUs that are
 * already being freed (terminating pods) are enough; `preempt` the newest over-quota preemptible jobs,
 * one after another until the job would fit; or `none` when even that would not make room.
 *
 * @example
 * ```ts
 * reclaimFor([1], nodes, holders); // { action: "preempt", victims: ["train-b"] }
 * ```
 */
export function reclaimFor(
  pods: readonly number[],
  nodes: readonly RunaiNode[],
  holders: readonly Holder[],
):
  | { readonly action: "wait" }
  | { readonly action: "preempt"; readonly victims: string[] }
  | { readonly action: "none" } {
  const staying = holders.filter((h) => !h.terminating);
  if (fitPods(freeGpus(nodes, staying), pods)) return { action: "wait" };
  const candidates = staying
    .filter((h) => !h.inQuota && h.preemptible)
    .sort((a, b) => b.boundSeq - a.boundSeq);
  const victims: string[] = [];
  for (const candidate of candidates) {
    victims.push(candidate.id);
    const left = staying.filter((h) => !victims.includes(h.id));
    if (fitPods(freeGpus(nodes, left), pods)) return { action: "preempt", victims };
  }
  return { action: "none" };
}
