/**
 * First-fit placement over many nodes without scanning them one by one: a segment tree keeps, for
 * each range of nodes, the most free GPU, CPU and memory any node of the range has. A range whose
 * most free GPU (or CPU, or memory) is short of the request holds no node that fits and is skipped
 * whole, so a run of full nodes costs one look, not one per node. The answer is the same node a scan
 * from the first node would pick.
 *
 * @module
 */

/** Free or requested resources. */
export interface Resources {
  readonly gpu: number;
  readonly cpu: number;
  readonly memoryGiB: number;
}

/**
 * The free resources of each node, and the first node with room for a request.
 *
 * @example
 * ```ts
 * const nodes = new FirstFit([{ gpu: 1, cpu: 8, memoryGiB: 64 }, { gpu: 8, cpu: 8, memoryGiB: 64 }]);
 * nodes.take({ gpu: 2, cpu: 1, memoryGiB: 1 }); // 1: the first node with 2 GPU free
 * nodes.give(1, { gpu: 2, cpu: 1, memoryGiB: 1 }); // node 1 has its 8 GPU again
 * ```
 */
export class FirstFit {
  private readonly free: Resources[];
  /** Leaves from index `size`; node i of the tree covers its children 2i and 2i+1. */
  private readonly size: number;
  private readonly gpu: Float64Array;
  private readonly cpu: Float64Array;
  private readonly memory: Float64Array;

  constructor(capacities: readonly Resources[]) {
    this.free = capacities.map((c) => ({ gpu: c.gpu, cpu: c.cpu, memoryGiB: c.memoryGiB }));
    let size = 1;
    while (size < this.free.length) size *= 2;
    this.size = size;
    // Ranges past the last node hold nothing: -Infinity never fits.
    this.gpu = new Float64Array(2 * size).fill(Number.NEGATIVE_INFINITY);
    this.cpu = new Float64Array(2 * size).fill(Number.NEGATIVE_INFINITY);
    this.memory = new Float64Array(2 * size).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < this.free.length; i++) this.setLeaf(i);
    for (let i = size - 1; i >= 1; i--) this.pull(i);
  }

  /** Takes `r` from the first node with room for it and returns that node's index, or undefined when none has. */
  take(r: Resources): number | undefined {
    const i = this.firstFit(r, 1);
    if (i === undefined) return undefined;
    const f = this.free[i]!;
    this.set(i, { gpu: f.gpu - r.gpu, cpu: f.cpu - r.cpu, memoryGiB: f.memoryGiB - r.memoryGiB });
    return i;
  }

  /** Gives `r` back to node `i`. */
  give(i: number, r: Resources): void {
    const f = this.free[i]!;
    this.set(i, { gpu: f.gpu + r.gpu, cpu: f.cpu + r.cpu, memoryGiB: f.memoryGiB + r.memoryGiB });
  }

  /** The leftmost node under tree node `t` with room for `r`. */
  private firstFit(r: Resources, t: number): number | undefined {
    if (!(this.gpu[t]! >= r.gpu && this.cpu[t]! >= r.cpu && this.memory[t]! >= r.memoryGiB)) return undefined;
    if (t >= this.size) {
      // The maxima of a leaf are its node's own free resources: it fits.
      return t - this.size;
    }
    return this.firstFit(r, 2 * t) ?? this.firstFit(r, 2 * t + 1);
  }

  private set(i: number, free: Resources): void {
    this.free[i] = free;
    this.setLeaf(i);
    for (let t = (this.size + i) >> 1; t >= 1; t >>= 1) this.pull(t);
  }

  private setLeaf(i: number): void {
    const f = this.free[i]!;
    // NaN fits nothing (every comparison with it is false) and must not hide its neighbours' maxima.
    const leaf = (v: number) => (Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v);
    this.gpu[this.size + i] = leaf(f.gpu);
    this.cpu[this.size + i] = leaf(f.cpu);
    this.memory[this.size + i] = leaf(f.memoryGiB);
  }

  private pull(t: number): void {
    this.gpu[t] = Math.max(this.gpu[2 * t]!, this.gpu[2 * t + 1]!);
    this.cpu[t] = Math.max(this.cpu[2 * t]!, this.cpu[2 * t + 1]!);
    this.memory[t] = Math.max(this.memory[2 * t]!, this.memory[2 * t + 1]!);
  }
}
