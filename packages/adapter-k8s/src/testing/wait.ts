import { setTimeout as sleep } from "node:timers/promises";

/**
 * Small waits for the integration tests: poll a condition with a deadline. (A test that restarts an
 * API server starts its own: private-cluster.ts.)
 *
 * @module
 */

/**
 * Polls `check` every `everyMs` until it returns a value other than undefined/false; throws naming
 * `what` (and the last value seen by `describe`) after `timeoutMs`.
 *
 * @example
 * ```ts
 * await waitFor(() => cache.get("e1")?.conditions.length === 1, "e1 to show its condition");
 * ```
 */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
