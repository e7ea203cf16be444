/**
 * What a training job does when an attempt exits with a non-zero code: `retry` (Run:ai shows Error,
 * and a new pod is created) or `fail` (Run:ai shows Fail, the end).
 *
 * `retriesSoFar` counts the retries already made, i.e. the failed attempts before this one. Like a
 * Kubernetes Job's `spec.backoffLimit` ("the number of retries before marking this job failed"), a
 * job with backoffLimit N runs at most N + 1 attempts: it fails on the failure that finds N retries
 * already spent.
 *
 * @example
 * ```ts
 * trainingRetryDecision(0, 0); // "fail": backoffLimit 0, no retry at all
 * trainingRetryDecision(2, 6); // "retry"
 * trainingRetryDecision(6, 6); // "fail"
 * ```
 */
export function trainingRetryDecision(retriesSoFar: number, backoffLimit: number): "retry" | "fail" {
  return retriesSoFar < backoffLimit ? "retry" : "fail";
}

/** Kubernetes' default `spec.backoffLimit` for a Job (a Job with backoffLimit 2 shows three failed pods). */
export const DEFAULT_BACKOFF_LIMIT = 6;
