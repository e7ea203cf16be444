import type { WallarooDeploymentConfig, WallarooQueueAutoscaling } from "./deployment-config.js";

/**
 * The autoscaling decision of a Wallaroo deployment, as a pure function: Wallaroo scales engine
 * replicas with a Kubernetes HorizontalPodAutoscaler on CPU utilisation, so this follows the HPA
 * algorithm (`desired = ceil(current * utilisation / target)`, a 10% tolerance, scale-up at most
 * doubling or +4 a period, scale-down to the highest recommendation of the last 5 minutes). Scaling
 * to and from zero is not the HPA's: it is the idle rule and the wake-up in `deployment-model.ts`.
 *
 * @module
 */

/** How often the autoscaler evaluates (the HPA controller's default sync period, 15 s). */
export const wallarooAutoscalePeriodMs = 15_000;
/** Utilisation within 10% of the target changes nothing (the HPA's default tolerance). */
export const wallarooAutoscaleTolerance = 0.1;
/** Scale-down follows the highest recommendation of this window (the HPA's default, 300 s). */
export const wallarooScaleDownStabilizationMs = 300_000;

/** The request load on a deployment: requests per second and the CPU each costs. */
export interface WallarooLoad {
  readonly ratePerSecond: number;
  /** CPU-seconds one request costs on a replica (0.05: 50 ms of one core). */
  readonly cpuSecondsPerRequest: number;
}

/** No load at all. */
export const wallarooNoLoad: WallarooLoad = { ratePerSecond: 0, cpuSecondsPerRequest: 0 };

/** What the autoscaler sees at one evaluation. */
export interface WallarooAutoscaleInput {
  readonly config: Pick<
    WallarooDeploymentConfig,
    "cpuMillis" | "minimum" | "maximum" | "autoscaleCpuUtilization"
  >;
  /** Replicas that exist, spooling ones included. */
  readonly replicas: number;
  /** Replicas that are ready and serve (the others use no CPU yet). */
  readonly ready: number;
  readonly load: WallarooLoad;
  /** Recommendations of the stabilization window before now (newest last), for scale-down. */
  readonly recent: readonly number[];
}

/** One evaluation: the measured utilisation, this evaluation's recommendation and the replicas to run. */
export interface WallarooAutoscaleDecision {
  /** Average CPU utilisation over every replica, in percent (spooling ones count as 0, as the HPA does). */
  readonly utilization: number;
  /** What this evaluation alone would want (kept for the stabilization window). */
  readonly recommendation: number;
  /** The replicas to run now, within max(minimum, 1) and maximum. */
  readonly desired: number;
}

/**
 * Decides the replica count at one evaluation. The CPU a replica can use is capped at its `cpus`, so
 * a saturated deployment measures at most 100% and grows by a third a period at a 75% target.
 *
 * @example
 * ```ts
 * const config = { cpuMillis: 4000, minimum: 0, maximum: 5, autoscaleCpuUtilization: 75 };
 * // 60 requests/s at 0.1 CPU-s each = 6 cores of demand, one 4-core replica saturated at 100%:
 * wallarooAutoscale({ config, replicas: 1, ready: 1, load: { ratePerSecond: 60, cpuSecondsPerRequest: 0.1 }, recent: [] });
 * // { utilization: 100, recommendation: 2, desired: 2 }
 * ```
 */
export function wallarooAutoscale(input: WallarooAutoscaleInput): WallarooAutoscaleDecision {
  const { config, replicas, ready, load, recent } = input;
  const floor = Math.min(config.maximum, Math.max(config.minimum, 1));
  const clamp = (n: number) => Math.min(config.maximum, Math.max(floor, n));
  if (replicas === 0) return { utilization: 0, recommendation: floor, desired: floor };
  const demandMillis = load.ratePerSecond * load.cpuSecondsPerRequest * 1000;
  const usedMillis = Math.min(demandMillis, ready * config.cpuMillis);
  const utilization = (usedMillis / (replicas * config.cpuMillis)) * 100;
  const ratio = utilization / config.autoscaleCpuUtilization;
  // A ratio within the tolerance recommends the current count; rounding guards 1.1 vs 1.1000000000000001.
  const raw =
    Math.abs(ratio - 1) <= wallarooAutoscaleTolerance + 1e-9 ? replicas : Math.ceil(replicas * ratio - 1e-9);
  const recommendation = clamp(raw);
  let desired = recommendation;
  if (desired > replicas) desired = Math.min(desired, Math.max(2 * replicas, replicas + 4));
  else if (desired < replicas) desired = Math.min(replicas, Math.max(desired, ...recent));
  return { utilization, recommendation, desired: clamp(desired) };
}

/**
 * The queue depth one evaluation measures (wallaroo 2026.1.3 `scale_up_queue_depth`: "(number of
 * requests in queue + requests being processed) / number of available replicas"): requests waiting
 * for a replica plus the requests in service, which a load of `rate` requests/s each costing
 * `cpuSecondsPerRequest` keeps at `rate * cpuSecondsPerRequest` on average (Little's law, one core a
 * request), over the ready replicas (none ready: over one).
 *
 * @example
 * ```ts
 * wallarooQueueDepth({ ratePerSecond: 40, cpuSecondsPerRequest: 0.1 }, 0, 2); // 2
 * ```
 */
export function wallarooQueueDepth(load: WallarooLoad, waiting: number, ready: number): number {
  return (waiting + load.ratePerSecond * load.cpuSecondsPerRequest) / Math.max(ready, 1);
}

/**
 * One queue-depth autoscaling decision: the mean depth of the samples of the last
 * `autoscalingWindowSeconds` above `scaleUpQueueDepth` adds one replica, below `scaleDownQueueDepth`
 * removes one ("incrementally scale up/down", the SDK's words), within max(minimum, 1) and maximum.
 *
 * @example
 * ```ts
 * const queue = { scaleUpQueueDepth: 5, scaleDownQueueDepth: 1, autoscalingWindowSeconds: 300 };
 * wallarooQueueAutoscale({ config: { minimum: 0, maximum: 4, queue }, replicas: 1, depths: [8, 6] }); // { depth: 7, desired: 2 }
 * ```
 */
export function wallarooQueueAutoscale(input: {
  readonly config: Pick<WallarooDeploymentConfig, "minimum" | "maximum"> & {
    readonly queue: WallarooQueueAutoscaling;
  };
  readonly replicas: number;
  /** The depths sampled within the window, the current one included. */
  readonly depths: readonly number[];
}): { readonly depth: number; readonly desired: number } {
  const { config, replicas, depths } = input;
  const floor = Math.min(config.maximum, Math.max(config.minimum, 1));
  const depth = depths.length === 0 ? 0 : depths.reduce((a, b) => a + b, 0) / depths.length;
  let desired = replicas;
  if (depth > config.queue.scaleUpQueueDepth) desired = replicas + 1;
  else if (depth < config.queue.scaleDownQueueDepth) desired = replicas - 1;
  return { depth, desired: Math.min(config.maximum, Math.max(floor, desired)) };
}
