import type { WallarooDeploymentRecord } from "./deployment.js";
import type { WallarooDeploymentConfig } from "./deployment-config.js";
import { advanceWallarooDeployment } from "./deployment-model.js";
import type { WallarooDeploymentChange, WallarooDeploymentState } from "./deployment-state.js";

/**
 * The SDK's waits (wallaroo 2026.1.3 `deployment.py`): `wait_for_running(timeout)`, which
 * `pipeline.deploy()` calls unless `wait_for_status=False`, and `wait_for_undeployed()`, which
 * `undeploy()` calls. Both poll `status()` once a second from the call (the first poll at once)
 * while less than the timeout has passed, then raise. Pure: time is data.
 *
 * @module
 */

/** `Client(request_timeout=)`'s default (`WALLAROO_REQUEST_TIMEOUT`, 45 s): the waits' timeout. */
export const wallarooDefaultRequestTimeoutSeconds = 45;
/** The waits poll `status()` every second (`time.sleep(1)`). */
export const wallarooWaitPollMs = 1_000;

/** What is awaited: a `Running` status, or no deployment at all (`status()` answers 404). */
export type WallarooWaitTarget = "running" | "undeployed";

/** One poll's verdict: done (met, or given up with the SDK's error), or poll again at `nextPollAt`. */
export type WallarooWaitPoll =
  | {
      readonly done: true;
      readonly ok: true;
      readonly at: number;
    }
  | {
      readonly done: true;
      readonly ok: false;
      readonly at: number;
      /** `WaitForDeployError` (wait_for_running) or `WaitForError` (wait_for_undeployed). */
      readonly error: "WaitForDeployError" | "WaitForError";
      readonly message: string;
    }
  | { readonly done: false; readonly nextPollAt: number };

/**
 * One poll of a wait that started at `startMs`, at `nowMs` (milliseconds), given the deployment's
 * status record then. Met: `Running` for `running`, `Undeployed` for `undeployed`. Not met: the next
 * poll is a second later if less than the timeout will have passed by then, else the wait raises
 * the SDK's error: `WaitForDeployError` with "Deployment failed. See status for details." (or, for a
 * deployment in Error because its engines cannot be scheduled, the SDK's "Cannot deploy pipeline due
 * to insufficient resources..." naming the CPU a replica needs), `WaitForError` with "Undeployment
 * failed. See status for details.".
 *
 * @example
 * ```ts
 * wallarooWaitPoll("running", { status: "Starting", reason: "Deploying" }, 0, 44_000, 45); // { done: false, nextPollAt: 45_000 }
 * wallarooWaitPoll("running", { status: "Starting", reason: "Deploying" }, 0, 45_000, 45); // { done: true, ok: false, error: "WaitForDeployError", ... }
 * ```
 */
export function wallarooWaitPoll(
  target: WallarooWaitTarget,
  record: Pick<WallarooDeploymentRecord, "status" | "reason">,
  startMs: number,
  nowMs: number,
  timeoutSeconds: number = wallarooDefaultRequestTimeoutSeconds,
  config: Pick<WallarooDeploymentConfig, "cpuMillis"> | null = null,
): WallarooWaitPoll {
  const met = target === "running" ? record.status === "Running" : record.status === "Undeployed";
  if (met) return { done: true, ok: true, at: nowMs };
  // The SDK loops `while ix == 0 or time.monotonic() - start < duration`, sleeping 1 s after a miss.
  const next = nowMs + wallarooWaitPollMs;
  if (next - startMs < timeoutSeconds * 1000) return { done: false, nextPollAt: next };
  if (target === "undeployed")
    return {
      done: true,
      ok: false,
      at: next,
      error: "WaitForError",
      message: "Undeployment failed. See status for details.",
    };
  return {
    done: true,
    ok: false,
    at: next,
    error: "WaitForDeployError",
    message:
      record.status === "Undeployed"
        ? // status() answers 404 (EntityNotFoundError), so the SDK has no status to show.
          `Deployment did not finish within ${timeoutSeconds}s.\nStatus: None`
        : record.status === "Error" && record.reason === "Unschedulable" && config !== null
          ? insufficientCpu(config.cpuMillis)
          : `Deployment failed. See status for details.\nStatus: {'status': '${record.status}', ...}`,
  };
}

function insufficientCpu(cpuMillis: number): string {
  const cpus = cpuMillis % 1000 === 0 ? String(cpuMillis / 1000) : `${cpuMillis}m`;
  const quantity = cpus === "1" ? "one CPU" : `${cpus} units of CPU`;
  return `Cannot deploy pipeline due to insufficient resources. Your pipeline needs ${quantity} to run but there is not enough CPU currently available. Please try again or un-deploy pipelines not in use to adjust the resources that are available for your Wallaroo instance. Contact your Wallaroo platform administrator for additional support.`;
}

/** A wait run to its end: the deployment then, what changed meanwhile, and the verdict. */
export interface WallarooWaitResult {
  readonly state: WallarooDeploymentState;
  readonly changes: readonly WallarooDeploymentChange[];
  readonly outcome: Extract<WallarooWaitPoll, { done: true }>;
}

/**
 * `deployment.wait_for_running(timeout)` (or `wait_for_undeployed()`) called at `at` on a
 * deployment nobody else touches meanwhile: polls as the SDK does, letting time pass, and returns
 * the deployment at the verdict's instant with what happened on the way.
 *
 * @example
 * ```ts
 * const { outcome } = waitForWallarooDeployment(deployedState, 0, "running"); // ok at 45 s when a replica spools up in 45 s
 * ```
 */
export function waitForWallarooDeployment(
  s: WallarooDeploymentState,
  at: number,
  target: WallarooWaitTarget,
  timeoutSeconds: number = wallarooDefaultRequestTimeoutSeconds,
): WallarooWaitResult {
  const changes: WallarooDeploymentChange[] = [];
  let state = s;
  for (let now = at; ; ) {
    const step = advanceWallarooDeployment(state, now);
    state = step.state;
    changes.push(...step.changes);
    const poll = wallarooWaitPoll(target, state.record, at, now, timeoutSeconds, state.config);
    if (poll.done) {
      const end = advanceWallarooDeployment(state, poll.at);
      changes.push(...end.changes);
      return { state: end.state, changes, outcome: poll };
    }
    now = poll.nextPollAt;
  }
}
