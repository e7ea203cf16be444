import {
  article,
  entityId,
  wallarooDefaultRequestTimeoutSeconds,
  wallarooDeploymentConfigSchema,
} from "@phasekit/core";
import { z } from "zod";
import { durationField } from "../fields.js";

/**
 * The Wallaroo deployment part of a scenario file: pipeline deployments as resources with
 * `system: wallaroo, kind: Deployment` (the deployment configuration, how long a replica spools up,
 * the inference timeout), and events with `system: wallaroo` that script what happens to them:
 * request load, inference attempts, the seed's wake-up task, engine failures, undeploy and
 * redeploy. `docs/scenarios.md` documents every field.
 *
 * @module
 */

/** The SDK's `pipeline.infer(timeout=)` when a scenario gives none: phasekit's choice. */
export const wallarooDefaultInferenceTimeoutMs = 15_000;

/** A pipeline deployment: `pipeline.deploy(deployment_config)` at `at`. */
export const wallarooDeploymentResource = z
  .object({
    system: z.literal("wallaroo"),
    kind: z.literal("Deployment"),
    /** The pipeline's name (what `pipeline.status()` names when it is not deployed). */
    id: entityId,
    /** The `DeploymentConfigBuilder` settings (core's schema: cpus, memory, minimum, maximum, ...). */
    config: wallarooDeploymentConfigSchema,
    /** When `pipeline.deploy` is called. */
    at: durationField.default(0),
    /** How long a new replica takes to spool up (pull, load the models) before it serves. */
    spoolUp: durationField.default(30_000),
    /** Each replica's spool-up adds a draw in [0, spoolUpJitter] from the scenario's seed. */
    spoolUpJitter: durationField.default(0),
    /** How long an inference waits for a ready replica before it fails with a timeout. */
    inferenceTimeout: durationField.default(wallarooDefaultInferenceTimeoutMs),
    /**
     * `pipeline.deploy(wait_for_status=)`: the SDK waits for Running (`wait_for_running`) by default;
     * its outcome is a note.
     */
    waitForStatus: z.boolean().default(true),
    /** `Client(request_timeout=)`: how long `wait_for_running` and `wait_for_undeployed` poll (45 s). */
    requestTimeout: durationField.default(wallarooDefaultRequestTimeoutSeconds * 1000),
  })
  .strict();

const positive = (what: string) => z.number({ error: what }).positive(what);

/**
 * A Wallaroo event, with `system: wallaroo`: exactly one of `load`, `infer`, `wakeUp`, `fail`,
 * `recover`, `undeploy`, `deploy`, each naming a deployment.
 */
export const wallarooDeploymentEvent = z
  .object({
    at: durationField,
    system: z.literal("wallaroo"),
    /** The request load on a deployment changes to `rate` requests/s (0 stops it) until the next change. */
    load: entityId.optional(),
    rate: z
      .number({ error: "requests per second, 0 or more" })
      .nonnegative("requests per second, 0 or more")
      .optional(),
    /** CPU-seconds one request costs on a replica (default 0.1). */
    cpuPerRequest: positive("CPU-seconds per request, greater than 0").optional(),
    /** One inference attempt (`pipeline.infer`), waiting up to `timeout` (default: the deployment's). */
    infer: entityId.optional(),
    timeout: durationField.optional(),
    /** A Run Once task runs the seed's wake-up script against the deployment. */
    wakeUp: entityId.optional(),
    /** The task run's id in the timeline (default `<deployment>-wakeup-<n>`). */
    task: entityId.optional(),
    /** The script's pause between attempts (the seed's `time.sleep(10)`). */
    every: durationField.optional(),
    /** The task's timeout (`run_once(timeout=)`): the run is timed_out when it lasts longer. */
    taskTimeout: durationField.optional(),
    /** Engines stop serving: `reason` Unschedulable or EngineFailed (default EngineFailed). */
    fail: entityId.optional(),
    reason: z.enum(["Unschedulable", "EngineFailed"]).optional(),
    /** Kubernetes can run the failed engines again: replicas spool up. */
    recover: entityId.optional(),
    /** `pipeline.undeploy()`. */
    undeploy: entityId.optional(),
    /** `pipeline.deploy()` again, with the resource's configuration. */
    deploy: entityId.optional(),
  })
  .strict();

export type WallarooDeploymentSpec = z.output<typeof wallarooDeploymentResource>;
export type WallarooDeploymentScenarioEvent = z.output<typeof wallarooDeploymentEvent>;

/** The Wallaroo deployment part of a decoded scenario. */
export interface WallarooDeploymentsScenario {
  readonly deployments: readonly WallarooDeploymentSpec[];
  readonly events: readonly WallarooDeploymentScenarioEvent[];
}

/** The actions an event can name, and the fields only that action may carry. */
export const wallarooEventActions = {
  load: ["rate", "cpuPerRequest"],
  infer: ["timeout"],
  wakeUp: ["task", "every", "taskTimeout"],
  fail: ["reason"],
  recover: [],
  undeploy: [],
  deploy: [],
} as const;
type Action = keyof typeof wallarooEventActions;
const actions = Object.keys(wallarooEventActions) as Action[];

type Issue = { path: PropertyKey[]; input: unknown; message: string };

/**
 * Checks across fields: each event does exactly one thing, carries only that action's fields
 * (`rate` is required with `load`), and names a deployment declared in the scenario.
 *
 * @example
 * ```ts
 * checkWallarooDeployments(deployments, [{ path: ["events", 0], event: { at: 0, system: "wallaroo" } }]);
 * // [{ path: ["events", 0], message: "exactly one of load, infer, wakeUp, ... (got none)", ... }]
 * ```
 */
export function checkWallarooDeployments(
  deployments: readonly { readonly path: PropertyKey[]; readonly deployment: WallarooDeploymentSpec }[],
  events: readonly { readonly path: PropertyKey[]; readonly event: WallarooDeploymentScenarioEvent }[],
  /** Every deployment id the file declares, bad resources included (so one bad field is one problem). */
  declared: ReadonlySet<string> = new Set(deployments.map((d) => d.deployment.id)),
): Issue[] {
  const issues: Issue[] = [];
  const ids = declared;
  for (const { path, event } of events) {
    const present = actions.filter((a) => event[a] !== undefined);
    if (present.length !== 1) {
      issues.push({
        path,
        input: event,
        message: `exactly one of ${actions.join(", ")} (got ${present.join(", ") || "none"})`,
      });
      continue;
    }
    const action = present[0]!;
    const target = event[action];
    if (!ids.has(target!))
      issues.push({
        path: [...path, action],
        input: target,
        message: "the id of a Wallaroo deployment declared in this scenario",
      });
    const own = new Set<string>(wallarooEventActions[action]);
    for (const [other, fields] of Object.entries(wallarooEventActions))
      for (const field of fields)
        if (other !== action && !own.has(field) && event[field as keyof typeof event] !== undefined)
          issues.push({
            path: [...path, field],
            input: event[field as keyof typeof event],
            message: `no ${field} on ${article(action)} event (it belongs to ${other})`,
          });
    if (action === "load" && event.rate === undefined)
      issues.push({ path: [...path, "rate"], input: undefined, message: "requests per second, 0 or more" });
  }
  return issues;
}
