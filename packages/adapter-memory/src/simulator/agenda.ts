/**
 * The simulated clock's agenda: what happens when, in simulated milliseconds. Entries due at the same
 * time run in the order they were scheduled, so a run depends only on the scenario and the seed.
 * A binary heap: scheduling and taking an action cost log(size), whatever else is scheduled.
 *
 * @module
 */

interface Entry<A> {
  readonly at: number;
  readonly seq: number;
  readonly action: A;
}

/**
 * A queue of timed actions, earliest first, first-scheduled first among equals.
 *
 * @example
 * ```ts
 * const agenda = new Agenda<string>();
 * agenda.schedule(30_000, "finish m1");
 * agenda.schedule(0, "create m1");
 * agenda.takeDue(agenda.next()!); // ["create m1"]
 * ```
 */
export class Agenda<A> {
  private readonly heap: Entry<A>[] = [];
  private seq = 0;

  /** Schedules `action` at `at` (milliseconds since the start). */
  schedule(at: number, action: A): void {
    const heap = this.heap;
    const entry = { at, seq: this.seq++, action };
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  /** When the next action is due, or undefined when nothing is scheduled. */
  next(): number | undefined {
    return this.heap[0]?.at;
  }

  /** Drops the first entries while `stale` says they no longer matter. */
  dropWhile(stale: (action: A) => boolean): void {
    while (this.heap.length > 0 && stale(this.heap[0]!.action)) this.pop();
  }

  /** Removes and returns every action due at `at` or before, in order. */
  takeDue(at: number): A[] {
    const due: A[] = [];
    while (this.heap.length > 0 && this.heap[0]!.at <= at) due.push(this.pop().action);
    return due;
  }

  get size(): number {
    return this.heap.length;
  }

  private pop(): Entry<A> {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

/** Earlier first; among equals, scheduled first. */
const before = <A>(a: Entry<A>, b: Entry<A>) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
