import { Lifecycle } from "../../lifecycle/lifecycle.js";
import type { StatusRecord } from "../../lifecycle/record.js";
import type { LifecycleSpec, TransitionReasons, TransitionSpec } from "../../lifecycle/spec.js";
import { steps } from "./steps.generated.js";

/**
 * A Wallaroo pipeline Deployment: the engine replicas that serve a pipeline's inferences. The
 * statuses are what `pipeline.status()["status"]` reports: the SDK's
 * `StatusGetDeploymentResponse200Status` enum (`Starting`, `Running`, `Error`) while a deployment
 * exists, and `Undeployed` for the SDK's `"Pipeline <name> is not deployed"`. The replica count is
 * data (see `autoscaler.ts`), not a status: a deployment scaling between 1 and its maximum stays
 * `Running`; at zero replicas it is `Starting` (no engine serves).
 */

export const wallarooDeploymentStatuses = ["Undeployed", "Starting", "Running", "Error"] as const;
export type WallarooDeploymentStatus = (typeof wallarooDeploymentStatuses)[number];

/**
 * Why a deployment is `Starting` (`Deploying`, `ScaledToZero`, `WakingUp`) or in `Error`
 * (`Unschedulable`: an engine pod cannot be placed, as in the SDK's "0/1 nodes are available: 1
 * Insufficient cpu."; `EngineFailed`: an engine container failed).
 */
export const wallarooDeploymentReasons = [
  "Deploying",
  "ScaledToZero",
  "WakingUp",
  "Unschedulable",
  "EngineFailed",
] as const;
export type WallarooDeploymentReason = (typeof wallarooDeploymentReasons)[number];

export const wallarooDeploymentEvents = {
  deploy: "`pipeline.deploy(deployment_config)`: engine replicas are created and start spooling up.",
  replicaReady:
    "An engine replica finished spooling up and serves inferences (the first one makes the deployment Running).",
  scaleToZero:
    "No request for the idle period and a minimum of 0: every replica is removed; or a deploy whose configuration starts no replica (replica_count 0, or maximum 0).",
  wake: "A request reached a deployment at zero replicas: the first replica is scaled up.",
  engineFailure:
    "Engines cannot serve: a pod cannot be scheduled (Unschedulable) or an engine failed (EngineFailed).",
  undeploy: "`pipeline.undeploy()`: every replica is removed and the pipeline serves nothing.",
} as const;
export type WallarooDeploymentEvent = keyof typeof wallarooDeploymentEvents;

const transitions = [
  { event: "deploy", from: ["Undeployed", "Error"], to: "Starting", reason: "Deploying" },
  { event: "replicaReady", from: ["Starting", "Error"], to: "Running", reason: null },
  {
    event: "scaleToZero",
    from: ["Running", ["Starting", "Deploying"]],
    to: "Starting",
    reason: "ScaledToZero",
  },
  { event: "wake", from: [["Starting", "ScaledToZero"]], to: "Starting", reason: "WakingUp" },
  {
    event: "engineFailure",
    from: ["Starting", "Running"],
    to: "Error",
    reasons: ["Unschedulable", "EngineFailed"],
  },
  { event: "undeploy", from: ["Starting", "Running", "Error"], to: "Undeployed", reason: null },
] as const satisfies readonly TransitionSpec<
  WallarooDeploymentStatus,
  WallarooDeploymentReason,
  WallarooDeploymentEvent
>[];

const spec: LifecycleSpec<WallarooDeploymentStatus, WallarooDeploymentReason, WallarooDeploymentEvent> = {
  system: "wallaroo",
  kind: "Deployment",
  initial: { status: "Undeployed", reason: null },
  statuses: {
    Undeployed: {
      terminal: false,
      outcome: null,
      reasons: [],
      reasonRequired: false,
      description:
        'No deployment: `pipeline.status()` returns `{"status": "Pipeline <name> is not deployed"}` and `infer` raises.',
      columns: { readyReplicas: "none", inference: "refused" },
      phase: "Pending",
      phaseRationale:
        "Nothing runs and nothing is allocated; it may be deployed (again) at any time, so not an end.",
    },
    Starting: {
      terminal: false,
      outcome: null,
      reasons: ["Deploying", "ScaledToZero", "WakingUp"],
      reasonRequired: true,
      description:
        "No replica is ready: deployed and spooling up (Deploying), scaled down to zero after the idle period (ScaledToZero), or a request woke it and the first replica is spooling up (WakingUp).",
      columns: { readyReplicas: "0", inference: "waits for the first replica, else times out" },
      phase: "Starting",
      phaseRationale: "No replica is ready yet; the first one is spooling up (or will on the next request).",
    },
    Running: {
      terminal: false,
      outcome: null,
      reasons: [],
      reasonRequired: false,
      description:
        "At least one replica is ready; the autoscaler keeps between max(minimum, 1) and maximum replicas on CPU utilisation.",
      columns: { readyReplicas: "1 or more", inference: "served" },
      phase: "Running",
      phaseRationale: "At least one replica serves.",
    },
    Error: {
      terminal: false,
      outcome: null,
      reasons: ["Unschedulable", "EngineFailed"],
      reasonRequired: true,
      description:
        "Engines cannot serve: a pod cannot be scheduled (Unschedulable) or an engine failed (EngineFailed). A replica that becomes ready again makes it Running.",
      columns: { readyReplicas: "0", inference: "times out" },
      phase: "Degraded",
      phaseRationale: "Cannot serve, but recovers when a replica becomes ready: not an end.",
    },
  },
  transitions,
  events: wallarooDeploymentEvents,
  notes: [
    "No status is terminal: an undeployed pipeline can be deployed again, and Error recovers when a replica becomes ready.",
    "Replicas are data, not statuses: scaling between 1 and maximum keeps Running; losing the last ready replica to the idle rule is Starting/ScaledToZero.",
    "At zero replicas the status is Starting (the SDK's Starting has no engines), so the guide's wake-up loop `while pipeline.status()['status'] != 'Running'` keeps polling until the first replica is ready.",
  ],
};

/**
 * The Deployment lifecycle: `Undeployed -> Starting -> Running`, back to `Starting/ScaledToZero`
 * when idle, `Starting/WakingUp` on the next request, `Error` when engines cannot serve.
 *
 * @example
 * ```ts
 * const d = wallarooDeployment.replay([{ type: "deploy" }, { type: "replicaReady" }, { type: "scaleToZero" }]);
 * // { status: "Starting", reason: "ScaledToZero", ... }
 * ```
 */
export const wallarooDeployment = new Lifecycle<
  WallarooDeploymentStatus,
  WallarooDeploymentReason,
  WallarooDeploymentEvent,
  TransitionReasons<typeof transitions, WallarooDeploymentEvent>
>(spec, steps.Deployment);

/** A deployment's status record. */
export type WallarooDeploymentRecord = StatusRecord<WallarooDeploymentStatus, WallarooDeploymentReason>;

/**
 * What the SDK's `pipeline.status()["status"]` returns for a deployment record: the status, or the
 * sentence the SDK returns when the pipeline has no deployment.
 *
 * @example
 * ```ts
 * wallarooPipelineStatusText({ status: "Undeployed" }, "ccfraud"); // "Pipeline ccfraud is not deployed"
 * wallarooPipelineStatusText({ status: "Running" }, "ccfraud"); // "Running"
 * ```
 */
export function wallarooPipelineStatusText(
  record: Pick<WallarooDeploymentRecord, "status">,
  pipelineName: string,
): string {
  return record.status === "Undeployed" ? `Pipeline ${pipelineName} is not deployed` : record.status;
}

/** What phasekit chose for Deployments where Wallaroo's SDK, docs and the seed are silent. */
export const wallarooDeploymentChoices: readonly string[] = [
  'Deployment statuses: `Starting`, `Running`, `Error` are the SDK\'s deployment status enum (`StatusGetDeploymentResponse200Status`); `Undeployed` stands for the SDK\'s `{"status": "Pipeline <name> is not deployed"}` (`wallarooPipelineStatusText` gives that text back). The reasons (Deploying, ScaledToZero, WakingUp, Unschedulable, EngineFailed) are phasekit\'s.',
  "At zero replicas a deployment is `Starting` (the SDK's Starting status has no engines; the guide's loop `while pipeline.status()['status'] != 'Running'` implies a scaled-down deployment is not Running).",
  "`deploy` starts `replica_count` replicas when set, else max(minimum, 1) even with minimum 0 (the idle rule scales to zero later), never more than maximum. `deploy` is accepted from Undeployed and Error only.",
  "`replica_count(n)` (wallaroo 2026.1.3) alone is a fixed count (minimum = maximum = n); with `replica_autoscale_min_max` it is the count a deploy starts with and must be at most maximum (the SDK's \"Replica count must be less than or equal to replica max\"). minimum = maximum = 0 is allowed, as the SDK's checks allow it: a deploy that starts no replica is Starting/ScaledToZero at once, and with maximum 0 no request wakes it (every inference times out); with replica_count 0 and a maximum above 0 a request wakes it as from ScaledToZero.",
  "Queue-depth autoscaling (wallaroo 2026.1.3 `scale_up_queue_depth`, `scale_down_queue_depth` default 1, `autoscaling_window` default 300 s, the last two refused without the first, as the builder does) replaces the CPU trigger: every 15 s the depth (requests waiting + requests in service, the load's rate x CPU-seconds per request, over the ready replicas) is sampled; the mean over the window above scale-up adds one replica, below scale-down removes one, within max(minimum, 1) and maximum. A scale-down threshold above the scale-up one is refused. The HPA's stabilisation does not apply to it.",
  "The idle period counts from the deploy or the last request (an inference, or the moment the load stops); a deployment with requests waiting never idles; only a Running deployment scales to zero. Default 3600 s (the guide's 60 minutes).",
  "An inference without a ready replica wakes a ScaledToZero deployment (one replica) and waits up to its timeout (default 15 s in the simulator) for the first replica: it succeeds when that replica is ready within the timeout, else fails with InferenceTimeout at the deadline. A replica ready at the very instant of the deadline serves it. Without a deployment it fails at once (NotDeployed).",
  "Autoscaling follows Kubernetes' HorizontalPodAutoscaler defaults: an evaluation every 15 s while Running, 10% tolerance, spooling replicas count as 0% CPU, a replica's CPU use is capped at its cpus, scale-up at most doubles or adds 4 replicas, scale-down follows the highest recommendation of the last 300 s, the floor is max(minimum, 1). Scale-down removes spooling replicas first, then the newest.",
  "Configuration defaults: cpus 1 and memory 512Mi (the SDK's `_deploy_config_to_engine_config`), a CPU target of 80% when none is set (the HPA's default), one fixed replica when neither minimum nor maximum is set, minimum 0 when only maximum is (as `replica_autoscale_min_max`).",
  "Quantities follow Kubernetes' grammar (binary Ki..Ei, decimal n u m k M G T P E, exponents such as 1e3), parsed exactly: CPU in steps of 1m (finer is refused, as Kubernetes does), memory rounded up to whole bytes, milli-bytes (`500m` memory) refused as a slip for `500Mi`, sizes beyond 2^53 refused.",
  '`wait_for_running(timeout)` (which `pipeline.deploy()` calls unless `wait_for_status=False`) and `wait_for_undeployed()` (which `undeploy()` calls) poll `status()` at the call and then once a second while less than the timeout has passed (the client\'s `request_timeout`, 45 s by default), as wallaroo 2026.1.3\'s `_wait_for` loops: the last poll is 1 s before the timeout, so a replica ready at the very instant of the timeout is too late. `wallarooWaitPoll` is one poll, `waitForWallarooDeployment` a whole wait. The errors are the SDK\'s: WaitForDeployError ("Deployment failed. See status for details.", "Cannot deploy pipeline due to insufficient resources..." for an Unschedulable deployment, "did not finish" when there is no deployment) and WaitForError ("Undeployment failed. See status for details."). An undeploy is immediate in phasekit, so `wait_for_undeployed` after it returns at its first poll.',
  "`engineFailure` (Unschedulable, EngineFailed) removes every replica; `recover` starts max(minimum, 1) again and the first ready one makes the deployment Running. `undeploy` fails the requests still waiting with NotDeployed.",
];

/** Where phasekit's Deployment differs from Wallaroo, and why. */
export const wallarooDeploymentDifferences: readonly string[] = [
  "The SDK has no setter for the idle period before scaling to zero; phasekit makes it the configuration field `idlePeriodSeconds` (the guide's 60 minutes by default).",
  "The SDK's unit-test fixtures include a `Deployed` status (engine pod Pending) that the API's status enum lacks; phasekit has no Deployed status (Starting/Deploying covers it).",
  "Calling `pipeline.deploy()` on a deployed pipeline redeploys it in place in Wallaroo; phasekit's machine refuses deploy while Starting or Running (undeploy first).",
  "`pipeline.status()` returns engine, load-balancer and sidekick details besides `status`; phasekit models the status and the replica counts only. GPUs, sidekicks and load-balancer resources are not modelled.",
  "The SDK's `wait_for_running` also checks the deployment's `limit_status` after its fifth poll and raises `LimitError`; phasekit models no limits. Its WaitForDeployError message ends with the whole status dict; phasekit's shows the status only.",
  "Wallaroo's server computes the queue depth from the requests it actually holds and scales its components by its own rules, which the SDK does not document beyond \"incrementally\"; phasekit estimates the requests in service from the load (Little's law) and moves one replica per 15 s evaluation.",
];
