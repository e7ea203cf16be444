import { type WallarooLoad, wallarooNoLoad } from "./autoscaler.js";
import {
  type WallarooDeploymentReason,
  type WallarooDeploymentRecord,
  type WallarooDeploymentStatus,
  wallarooDeployment,
} from "./deployment.js";
import type { WallarooDeploymentConfig } from "./deployment-config.js";

/**
 * The data of a deployment in simulated time: replicas with the instant each is ready, the request
 * load, in-flight inference requests, the Deployment status record, and the changes an operation
 * reports. The operations are in `deployment-model.ts`.
 *
 * @module
 */

/** One engine replica; it serves once `readyAt` has passed. */
export interface WallarooReplica {
  readonly readyAt: number;
}

/** An inference request waiting for a ready replica until its deadline. */
export interface WallarooPendingInference {
  readonly id: string;
  readonly at: number;
  readonly deadline: number;
}

/** Why an inference failed: no ready replica before the request's timeout, or no deployment. */
export type WallarooInferenceError = "InferenceTimeout" | "NotDeployed";

/** Why the replica count changed. */
export type WallarooScaleCause =
  | "deploy"
  | "ready"
  | "scaleUp"
  | "scaleDown"
  | "scaleToZero"
  | "wake"
  | "fail"
  | "recover"
  | "undeploy";

/** Something that happened to a deployment, at `t` milliseconds. */
export type WallarooDeploymentChange =
  | {
      readonly t: number;
      readonly type: "status";
      readonly status: WallarooDeploymentStatus;
      readonly reason: WallarooDeploymentReason | null;
    }
  | {
      readonly t: number;
      readonly type: "replicas";
      readonly replicas: number;
      readonly ready: number;
      readonly cause: WallarooScaleCause;
      /** The utilisation (percent) that drove an autoscaler change, else null. */
      readonly utilization: number | null;
    }
  | {
      readonly t: number;
      readonly type: "inference";
      readonly request: string;
      readonly ok: boolean;
      readonly error: WallarooInferenceError | null;
      /** How long the request waited (0: served at once). */
      readonly waitedMs: number;
    };

/** A deployment's whole state. */
export interface WallarooDeploymentState {
  readonly record: WallarooDeploymentRecord;
  readonly config: WallarooDeploymentConfig | null;
  readonly now: number;
  readonly replicas: readonly WallarooReplica[];
  readonly load: WallarooLoad;
  /** When the last request arrived or the load stopped; null while the load is above 0. */
  readonly idleSince: number | null;
  readonly pending: readonly WallarooPendingInference[];
  /** The next autoscaler evaluation, or null while no replica is ready. */
  readonly nextEvaluation: number | null;
  /** Recommendations of the stabilization window, oldest first. */
  readonly recent: readonly { readonly t: number; readonly desired: number }[];
  /** Queue depths sampled at each evaluation within the autoscaling window (queue autoscaling only). */
  readonly depths: readonly { readonly t: number; readonly depth: number }[];
  /** Spool-up of a new replica: `spoolUpMs` plus a seeded draw in [0, `spoolUpJitterMs`]. */
  readonly spoolUpMs: number;
  readonly spoolUpJitterMs: number;
  /** The seeded generator's state (mulberry32), so jitter is reproducible. */
  readonly rng: number;
  /** Milliseconds since the Unix epoch of instant 0, for the record's `lastTransitionTime`. */
  readonly origin: number;
}

/** A state and what the operation caused. */
export interface WallarooDeploymentStep {
  readonly state: WallarooDeploymentState;
  readonly changes: readonly WallarooDeploymentChange[];
}

/** Where a new deployment state starts: the seed of the spool-up jitter and the epoch of instant 0. */
export interface WallarooDeploymentStart {
  readonly seed?: number;
  readonly origin?: number;
}

/**
 * An undeployed pipeline at instant 0.
 *
 * @example
 * ```ts
 * const s = wallarooUndeployed({ seed: 7 });
 * s.record.status; // "Undeployed"
 * ```
 */
export function wallarooUndeployed(start: WallarooDeploymentStart = {}): WallarooDeploymentState {
  const origin = start.origin ?? 0;
  return {
    record: wallarooDeployment.initial(new Date(origin).toISOString()),
    config: null,
    now: 0,
    replicas: [],
    load: wallarooNoLoad,
    idleSince: null,
    pending: [],
    nextEvaluation: null,
    recent: [],
    depths: [],
    spoolUpMs: 0,
    spoolUpJitterMs: 0,
    rng: (start.seed ?? 1) >>> 0,
    origin,
  };
}

/**
 * Replicas ready at the state's instant.
 *
 * @example
 * ```ts
 * wallarooReadyReplicas(wallarooUndeployed()); // 0
 * ```
 */
export const wallarooReadyReplicas = (s: WallarooDeploymentState): number =>
  s.replicas.filter((r) => r.readyAt <= s.now).length;
