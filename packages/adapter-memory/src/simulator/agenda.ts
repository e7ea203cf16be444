/**
 * The simulated clock's agenda: what happens when, in simulated milliseconds. Entries due at the same
 * time run in the order they were scheduled, so a run depends only on the scenario and the seed.
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
  private readonly entries: Entry<A>[] = [];
  private seq = 0;

  /** Schedules `action` at `at` (milliseconds since the start). */
  schedule(at: number, action: A): void {
    const entry = { at, seq: this.seq++, action };
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.entries[mid]!;
      if (e.at < at || (e.at === at && e.seq < entry.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.entries.splice(lo, 0, entry);
  }

  /** When the next action is due, or undefined when nothing is scheduled. */
  next(): number | undefined {
    return this.entries[0]?.at;
  }

  /** Drops the first entries while `stale` says they no longer matter. */
  dropWhile(stale: (action: A) => boolean): void {
    let n = 0;
    while (n < this.entries.length && stale(this.entries[n]!.action)) n++;
    this.entries.splice(0, n);
  }

  /** Removes and returns every action due at `at` or before, in order. */
  takeDue(at: number): A[] {
    let n = 0;
    while (n < this.entries.length && this.entries[n]!.at <= at) n++;
    return this.entries.splice(0, n).map((e) => e.action);
  }

  get size(): number {
    return this.entries.length;
  }
}
