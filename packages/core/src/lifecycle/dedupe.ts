/**
 * Redelivery filter for consumers of an at-least-once log (Kafka): the highest offset applied per
 * partition. Within a partition offsets only grow, so a message at or below the watermark has been
 * applied already and is a duplicate, redelivered after a restart or a rebalance. The check is one
 * map lookup, so a stream of duplicates costs less than the stream it repeats.
 *
 * Keep the watermarks with the state they protect (persist both, or neither): a consumer that
 * rebuilds its records from scratch must start from empty watermarks too.
 *
 * @example
 * ```ts
 * import { Watermarks } from "@phasekit/core";
 * const seen = new Watermarks<number>();
 * seen.accept(0, 41); // true: apply it
 * seen.accept(0, 41); // false: a redelivery, skip it
 * seen.accept(1, 7); // true: partitions are independent
 * ```
 */
export class Watermarks<K = number, O extends number | bigint = number> {
  private readonly high: Map<K, O>;

  constructor(entries: Iterable<readonly [K, O]> = []) {
    this.high = new Map(entries);
  }

  /**
   * True when `offset` is past the watermark of `key`, which then moves to it (apply the message);
   * false when it is at or below it (a duplicate: skip it).
   */
  accept(key: K, offset: O): boolean {
    const mark = this.high.get(key);
    if (mark !== undefined && offset <= mark) return false;
    this.high.set(key, offset);
    return true;
  }

  /** The highest offset accepted for `key`, or undefined before the first. */
  get(key: K): O | undefined {
    return this.high.get(key);
  }

  /** Every watermark, to persist next to the state; `new Watermarks(entries)` restores them. */
  entries(): [K, O][] {
    return [...this.high.entries()];
  }
}
