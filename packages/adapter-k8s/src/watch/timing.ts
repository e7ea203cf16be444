/**
 * The clocks of a list/watch loop.
 *
 * @module
 */

export interface WatchTiming {
  /** The server ends each watch cleanly after this long; the loop then watches again from where it was. */
  readonly watchTimeoutSeconds: number;
  /**
   * The watchdog: a watch that delivers nothing (no event, no bookmark, no close) for this long is
   * presumed stalled (a dead connection the TCP stack has not noticed) and opened again. Must exceed
   * `watchTimeoutSeconds`, since an idle watch may be silent until the server closes it.
   */
  readonly stallMs: number;
  /** First wait after an error; doubles with each error in a row. */
  readonly backoffInitialMs: number;
  /** Longest wait between two attempts. */
  readonly backoffMaxMs: number;
}

/**
 * Defaults: watches of 60 s, a watchdog at 90 s, back-off from 250 ms to 30 s.
 *
 * @example
 * ```ts
 * const timing = { ...defaultWatchTiming, watchTimeoutSeconds: 5, stallMs: 8_000 };
 * ```
 */
export const defaultWatchTiming: WatchTiming = {
  watchTimeoutSeconds: 60,
  stallMs: 90_000,
  backoffInitialMs: 250,
  backoffMaxMs: 30_000,
};

/**
 * The wait after the `failures`-th error in a row: initial, doubled each time, capped.
 *
 * @example
 * ```ts
 * backoffMs(defaultWatchTiming, 1); // 250
 * backoffMs(defaultWatchTiming, 3); // 1000
 * backoffMs(defaultWatchTiming, 20); // 30000
 * ```
 */
export function backoffMs(timing: WatchTiming, failures: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(timing.backoffMaxMs, timing.backoffInitialMs * 2 ** exponent);
}
