import { TransitionError } from "../../lifecycle/errors.js";
import type { WallarooLoad } from "./autoscaler.js";
import { type WallarooDeploymentReason, wallarooDeployment } from "./deployment.js";
import type { WallarooDeploymentConfig } from "./deployment-config.js";
import { Draft, nextInternal, request, runUntil } from "./deployment-draft.js";
import {
  type WallarooDeploymentState,
  type WallarooDeploymentStep,
  type WallarooPendingInference,
  wallarooReadyReplicas,
} from "./deployment-state.js";

/**
 * A deployment in simulated time, as pure functions: every operation takes the state and an instant
 * (milliseconds since the start) and returns the next state with the changes it caused, or a
 * {@link TransitionError} when the Deployment lifecycle refuses it (undeploying what is not
 * deployed). Time only moves forward: an instant before the state's is a RangeError.
 *
 * @module
 */

/**
 * Lets time pass until `to`: replicas become ready, requests time out, the autoscaler evaluates, an
 * idle deployment with minimum 0 scales to zero.
 *
 * @example
 * ```ts
 * const { state, changes } = advanceWallarooDeployment(deployed, 60_000);
 * ```
 */
export function advanceWallarooDeployment(s: WallarooDeploymentState, to: number): WallarooDeploymentStep {
  const d = new Draft(s);
  runUntil(d, to);
  return d.done();
}

/**
 * When the deployment next changes by itself (a replica ready, a request's deadline, the idle rule,
 * an autoscaler evaluation), or undefined when nothing is due. A driver that interleaves several
 * deployments and scripts advances each to the earliest of these.
 *
 * @example
 * ```ts
 * const t = nextWallarooDeploymentEvent(state); // e.g. 45_000 while the first replica spools up
 * ```
 */
export function nextWallarooDeploymentEvent(s: WallarooDeploymentState): number | undefined {
  return nextInternal(s)?.t;
}

/** How a pipeline is deployed: its configuration and how long a new replica takes to spool up. */
export interface WallarooDeployOptions {
  readonly config: WallarooDeploymentConfig;
  readonly spoolUpMs: number;
  /** Each new replica's spool-up adds a seeded draw in [0, this] (default 0). */
  readonly spoolUpJitterMs?: number;
}

/**
 * How many replicas `pipeline.deploy(config)` starts: `replica_count` when set, else max(minimum, 1)
 * (a deployment starts serving even with minimum 0; the idle rule scales it to zero later), never
 * more than maximum (0 when maximum is 0).
 *
 * @example
 * ```ts
 * wallarooInitialReplicas({ minimum: 0, maximum: 5, replicaCount: null }); // 1
 * wallarooInitialReplicas({ minimum: 0, maximum: 0, replicaCount: null }); // 0
 * ```
 */
export function wallarooInitialReplicas(
  config: Pick<WallarooDeploymentConfig, "minimum" | "maximum" | "replicaCount">,
): number {
  return Math.min(config.maximum, config.replicaCount ?? Math.max(config.minimum, 1));
}

/**
 * `pipeline.deploy(config)` at `at`: {@link wallarooInitialReplicas} replicas start spooling; with
 * none, the deployment is Starting/ScaledToZero at once.
 *
 * @example
 * ```ts
 * const step = deployWallarooPipeline(wallarooUndeployed(), 0, { config, spoolUpMs: 45_000 });
 * if (!(step instanceof TransitionError)) step.state.record; // Starting/Deploying
 * ```
 */
export function deployWallarooPipeline(
  s: WallarooDeploymentState,
  at: number,
  options: WallarooDeployOptions,
): WallarooDeploymentStep | TransitionError {
  const d = new Draft(s);
  runUntil(d, at);
  const refused = d.step({ type: "deploy" });
  if (refused) return refused;
  d.set({
    config: options.config,
    spoolUpMs: options.spoolUpMs,
    spoolUpJitterMs: options.spoolUpJitterMs ?? 0,
    replicas: [],
    idleSince: d.s.load.ratePerSecond > 0 ? null : at,
    nextEvaluation: null,
    recent: [],
    depths: [],
  });
  const count = wallarooInitialReplicas(options.config);
  d.replicas(d.add(count), "deploy");
  // No replica to start (replica_count 0, or maximum 0): at zero at once; a request wakes it if it may.
  if (count === 0) d.step({ type: "scaleToZero" });
  return d.done();
}

/**
 * The request load changes at `at` (it stays until the next change). Load above 0 is a stream of
 * requests: it keeps the deployment from idling and wakes it at zero replicas.
 *
 * @example
 * ```ts
 * const busy = setWallarooLoad(state, 60_000, { ratePerSecond: 120, cpuSecondsPerRequest: 0.1 });
 * ```
 */
export function setWallarooLoad(
  s: WallarooDeploymentState,
  at: number,
  load: WallarooLoad,
): WallarooDeploymentStep {
  const d = new Draft(s);
  runUntil(d, at);
  const wasBusy = d.s.load.ratePerSecond > 0;
  d.set({ load });
  if (load.ratePerSecond > 0) {
    request(d);
    d.set({ idleSince: null });
  } else if (wasBusy) d.set({ idleSince: at });
  return d.done();
}

/**
 * An inference request at `at` (`pipeline.infer(...)`): served at once by a ready replica; without
 * one it waits up to `timeoutMs` for the first replica (waking a deployment at zero replicas) and
 * fails with `InferenceTimeout` if none is ready by then. Without a deployment it fails at once with
 * `NotDeployed` (the SDK raises "Pipeline <name> is not deployed").
 *
 * @example
 * ```ts
 * const { state: next, changes } = requestWallarooInference(state, 3_600_000, "r1", 15_000);
 * // at zero replicas: Starting/WakingUp now, then r1 served or InferenceTimeout in the changes of a later advance
 * ```
 */
export function requestWallarooInference(
  s: WallarooDeploymentState,
  at: number,
  id: string,
  timeoutMs: number,
): WallarooDeploymentStep {
  const d = new Draft(s);
  runUntil(d, at);
  const pending: WallarooPendingInference = { id, at, deadline: at + timeoutMs };
  if (d.s.record.status === "Undeployed") {
    d.resolve(pending, "NotDeployed");
    return d.done();
  }
  request(d);
  d.set({ pending: [...d.s.pending, pending] });
  if (wallarooReadyReplicas(d.s) > 0) d.resolve(pending, null);
  return d.done();
}

/**
 * Engines stop serving at `at` (Unschedulable, EngineFailed): every replica is gone until recovery.
 *
 * @example
 * ```ts
 * const failed = failWallarooDeployment(state, 120_000, "EngineFailed"); // Error/EngineFailed
 * ```
 */
export function failWallarooDeployment(
  s: WallarooDeploymentState,
  at: number,
  reason: Extract<WallarooDeploymentReason, "Unschedulable" | "EngineFailed">,
): WallarooDeploymentStep | TransitionError {
  const d = new Draft(s);
  runUntil(d, at);
  const refused = d.step({ type: "engineFailure", reason });
  if (refused) return refused;
  d.replicas([], "fail");
  d.set({ nextEvaluation: null, recent: [], depths: [] });
  return d.done();
}

/**
 * Kubernetes can run the engines again at `at`: max(minimum, 1) replicas spool up (Error until ready).
 *
 * @example
 * ```ts
 * const recovering = recoverWallarooDeployment(failedState, 180_000); // Running once a replica is ready
 * ```
 */
export function recoverWallarooDeployment(
  s: WallarooDeploymentState,
  at: number,
): WallarooDeploymentStep | TransitionError {
  const d = new Draft(s);
  runUntil(d, at);
  if (d.s.record.status !== "Error" || d.s.config === null || d.s.replicas.length > 0)
    return new TransitionError(
      "wallaroo",
      "Deployment",
      d.s.record.status,
      d.s.record.reason,
      { type: "recover", reason: null },
      wallarooDeployment.allowed(d.s.record.status, d.s.record.reason),
      "only an Error deployment without replicas recovers",
    );
  d.replicas(d.add(Math.min(d.s.config.maximum, Math.max(d.s.config.minimum, 1))), "recover");
  return d.done();
}

/**
 * `pipeline.undeploy()` at `at`: every replica goes; requests still waiting fail with NotDeployed.
 *
 * @example
 * ```ts
 * const gone = undeployWallarooPipeline(state, 600_000); // Undeployed, or a TransitionError if it already was
 * ```
 */
export function undeployWallarooPipeline(
  s: WallarooDeploymentState,
  at: number,
): WallarooDeploymentStep | TransitionError {
  const d = new Draft(s);
  runUntil(d, at);
  const refused = d.step({ type: "undeploy" });
  if (refused) return refused;
  if (d.s.replicas.length > 0) d.replicas([], "undeploy");
  for (const p of [...d.s.pending]) d.resolve(p, "NotDeployed");
  d.set({ config: null, nextEvaluation: null, recent: [], depths: [], idleSince: null });
  return d.done();
}
