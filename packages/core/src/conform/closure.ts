import type { Leaf, Lifecycle } from "../lifecycle/lifecycle.js";

const UNREACHABLE = -1;

/**
 * Which (status, reason) leaves of one kind can follow which, and by the fewest steps: the
 * reachability closure of the kind's compiled table, computed once by a breadth-first search from
 * every leaf. An observer that samples a history sees some of its steps only; the closure says whether
 * what it saw next can follow what it saw before, and through which statuses nobody saw.
 *
 * @example
 * ```ts
 * import { dyff, reachability } from "@phasekit/core";
 * const closure = reachability(dyff.Evaluation);
 * const created = dyff.Evaluation.leafOf("Created", null)!;
 * const complete = dyff.Evaluation.leafOf("Complete", null)!;
 * closure.distance(created, complete); // 2 (through Admitted)
 * closure.path(created, complete).map((l) => l.status); // ["Admitted", "Complete"]
 * ```
 */
export class Reachability {
  /** The leaf count. */
  readonly size: number;
  /** `dist[from * size + to]`: the fewest steps from `from` to `to` (0 for itself), or -1. */
  private readonly dist: Int16Array;
  /** `parent[from * size + to]`: the leaf before `to` on a shortest path from `from`. */
  private readonly parent: Int16Array;
  /** The distinct leaves one step away from each leaf, in table order (what the spec allows next). */
  private readonly nextOf: readonly (readonly Leaf[])[];

  constructor(readonly lifecycle: Lifecycle) {
    const n = lifecycle.leaves.length;
    const e = lifecycle.events.length;
    const table = lifecycle.table;
    this.size = n;
    this.dist = new Int16Array(n * n).fill(UNREACHABLE);
    this.parent = new Int16Array(n * n).fill(UNREACHABLE);
    const queue = new Int16Array(n);
    const next: Leaf[][] = [];
    for (let s = 0; s < n; s++) {
      const row = s * n;
      this.dist[row + s] = 0;
      let head = 0;
      let tail = 0;
      queue[tail++] = s;
      while (head < tail) {
        const u = queue[head++]!;
        const d = this.dist[row + u]!;
        for (let ev = 0; ev < e; ev++) {
          const v = table[u * e + ev]!;
          if (v < 0 || this.dist[row + v] !== UNREACHABLE) continue;
          this.dist[row + v] = d + 1;
          this.parent[row + v] = u;
          queue[tail++] = v;
        }
      }
      const one: Leaf[] = [];
      for (let v = 0; v < n; v++) if (this.dist[row + v] === 1) one.push(lifecycle.leaves[v]!);
      next.push(one);
    }
    this.nextOf = next;
  }

  /** The fewest steps from leaf `from` to leaf `to` (0 when they are the same), or -1 when none leads there. */
  distance(from: number, to: number): number {
    return this.dist[from * this.size + to]!;
  }

  reachable(from: number, to: number): boolean {
    return this.dist[from * this.size + to]! !== UNREACHABLE;
  }

  /**
   * A shortest path from `from` to `to`: the leaves after `from`, ending with `to` (empty when they
   * are the same), or `undefined` when none leads there.
   */
  path(from: number, to: number): Leaf[] | undefined {
    const row = from * this.size;
    if (this.dist[row + to] === UNREACHABLE) return undefined;
    const out: Leaf[] = [];
    for (let v = to; v !== from; v = this.parent[row + v]!) out.push(this.lifecycle.leaves[v]!);
    return out.reverse();
  }

  /** The leaves one step away from `from` (itself excluded): what the spec allows next. */
  next(from: number): readonly Leaf[] {
    return this.nextOf[from]!;
  }
}

const cache = new WeakMap<Lifecycle, Reachability>();

/**
 * The {@link Reachability} closure of a kind, computed on first use and kept with the lifecycle.
 *
 * @example
 * ```ts
 * import { runai, reachability } from "@phasekit/core";
 * const lc = runai.TrainingJob;
 * reachability(lc).reachable(lc.leafOf("Succeeded", null)!, lc.leafOf("Running", null)!); // false
 * ```
 */
export function reachability(lifecycle: Lifecycle): Reachability {
  let closure = cache.get(lifecycle);
  if (closure === undefined) {
    closure = new Reachability(lifecycle);
    cache.set(lifecycle, closure);
  }
  return closure;
}
