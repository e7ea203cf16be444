import { Cluster, type ClusterObject, stepCondition, stepName, stepPhase } from "@phasekit/core";
import { Effect } from "effect";
import type { KubeCluster } from "./cluster.js";
import { customType, nativeTypes } from "./kinds.js";
import { fromKube } from "./objects.js";
import { writeConditionsRetrying } from "./status-writes.js";

/**
 * The controller of InferenceSession *steps* (an Evaluation's inference server): Kubernetes runs
 * Jobs and Deployments by itself, but nothing runs our custom resource, so this does what Dyff's
 * operator does for it. For each InferenceSession owned by a workflow it creates a Deployment
 * `<session>-deployment` (owned by the session, so deleting the session deletes it), and reports
 * on the session the step vocabulary of the control plane: `Available` once the Deployment is
 * Available, `Failed` if its rollout exceeds its progress deadline. Level-based: it acts on the
 * objects as they are, on every change of either kind and every `resyncMs`.
 *
 * An InferenceSession that is a workflow of its own (no owner) is left to the control plane's
 * operator, whose plan already runs it as a Deployment.
 *
 * @module
 */

export interface SessionRunner {
  readonly stop: () => Promise<void>;
}

const available = (o: ClusterObject) =>
  o.conditions.find((c) => c.type === "Available" && c.status === "True");
const stalled = (o: ClusterObject) =>
  o.conditions.find(
    (c) => c.type === "Progressing" && c.status === "False" && c.reason === "ProgressDeadlineExceeded",
  );

/**
 * Starts the runner on a cluster's caches; `now` stamps the conditions it writes.
 *
 * @example
 * ```ts
 * const runner = startSessionRunner(cluster);
 * // ... later
 * await runner.stop();
 * ```
 */
export function startSessionRunner(
  cluster: KubeCluster,
  now: () => string = () => new Date().toISOString(),
  resyncMs = 10_000,
): SessionRunner {
  const sessions = cluster.informer("InferenceSession");
  const deployments = cluster.informer("Deployment");
  const run = <A, E>(effect: Effect.Effect<A, E, Cluster>) =>
    Effect.runPromise(Effect.provideService(effect, Cluster, cluster.port));
  const log = cluster.config.log ?? (() => {});
  const sessionType = customType("InferenceSession", cluster.config.group);

  const reconcile = (name: string) =>
    Effect.gen(function* () {
      const raw = sessions.items().get(name);
      if (!raw || raw.metadata.deletionTimestamp) return;
      const session = fromKube(raw, sessionType, true);
      if (session.owner === null || stepPhase(session) !== "running") return;
      const deploymentName = stepName(name, "deployment");
      const rawDeployment = deployments.items().get(deploymentName);
      if (!rawDeployment) {
        const spec = (session.spec ?? {}) as { workflow?: unknown; resources?: unknown };
        yield* (yield* Cluster)
          .create({
            kind: "Deployment",
            name: deploymentName,
            owner: name,
            labels: session.labels,
            spec: { workflow: spec.workflow, role: "deployment", resources: spec.resources },
          })
          .pipe(
            Effect.catchIf(
              (e) => e.code === "AlreadyExists",
              () => Effect.void,
            ),
          );
        return;
      }
      const deployment = fromKube(rawDeployment, nativeTypes.Deployment!, false);
      const up = available(deployment);
      const failed = stalled(deployment);
      if (!up && !failed) return;
      const condition = up
        ? stepCondition("Available", "Available", now())
        : stepCondition("Failed", "ProgressDeadlineExceeded", now(), failed?.message ?? "");
      yield* writeConditionsRetrying("InferenceSession", name, (current) =>
        stepPhase(current) === "running" ? [...current.conditions, condition] : undefined,
      );
    });

  // One reconcile at a time, each session at most once per pass: events only mark it dirty.
  const dirty = new Set<string>();
  let draining: Promise<void> | undefined;
  const drain = async () => {
    while (dirty.size > 0) {
      const [name] = dirty;
      dirty.delete(name!);
      try {
        await run(reconcile(name!));
      } catch (error) {
        log(`inference-session runner: ${name}: ${(error as Error).message}`);
        setTimeout(() => mark(name!), 1_000).unref();
      }
    }
    draining = undefined;
  };
  const mark = (name: string) => {
    dirty.add(name);
    draining ??= drain();
  };
  const resync = () => {
    for (const [name, o] of sessions.items()) if ((o.metadata.ownerReferences ?? []).length > 0) mark(name);
  };

  const unsubscribe = [
    sessions.subscribe((e) => {
      if (e.type !== "DELETED") mark(e.object.metadata.name);
    }),
    deployments.subscribe((e) => {
      const owner = e.object.metadata.ownerReferences?.find((r) => r.kind === "InferenceSession");
      if (owner) mark(owner.name);
    }),
  ];
  void Promise.all([sessions.ready(), deployments.ready()]).then(resync, () => {});
  const timer = setInterval(resync, resyncMs);
  return {
    stop: async () => {
      clearInterval(timer);
      for (const u of unsubscribe) u();
      dirty.clear();
      await draining;
    },
  };
}
