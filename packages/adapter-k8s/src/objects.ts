import type { ClusterObject, Condition, NewClusterObject } from "@phasekit/core";
import { apiVersionOf, type KubeObject, type ResourceType } from "./client.js";
import { deploymentSpec, jobSpec, type WorkloadOptions } from "./workloads.js";

/**
 * The cluster port's objects as Kubernetes objects and back. A custom resource keeps the port's
 * spec as its `spec`; a built-in workload (Job, Deployment) keeps it in an annotation, next to the
 * workload spec built from it, so that `get` returns exactly what `create` was given. Conditions are
 * `.status.conditions`; the owner is the controller owner reference; `resourceVersion` is the
 * server's.
 *
 * @module
 */

/**
 * On every object the adapter creates; the adapter watches built-in kinds by it.
 *
 * @example
 * ```ts
 * client.list(nativeTypes.Job!, ns, { labelSelector: `${managedBy.key}=${managedBy.value}` });
 * ```
 */
export const managedBy = { key: "app.kubernetes.io/managed-by", value: "phasekit" } as const;
/**
 * The annotation that keeps the port's spec of a built-in workload.
 *
 * @example
 * ```ts
 * JSON.parse(job.metadata.annotations[specAnnotation]); // the StepSpec the operator wrote
 * ```
 */
export const specAnnotation = "phasekit.dev/spec";

/** Who owns a step, as an owner reference needs it. */
export interface OwnerRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** A Kubernetes condition (Job, Deployment or ours) in the port's five fields. */
function portCondition(c: Record<string, unknown>): Condition {
  const status = c.status === "True" || c.status === "False" ? c.status : "Unknown";
  return {
    type: str(c.type),
    status,
    reason: str(c.reason),
    message: str(c.message),
    lastTransitionTime: str(c.lastTransitionTime),
  };
}

/**
 * The port's view of a Kubernetes object of `type`.
 *
 * @example
 * ```ts
 * fromKube(job, nativeTypes.Job, false).conditions; // [{ type: "Complete", status: "True", ... }] once it ran
 * ```
 */
export function fromKube(object: KubeObject, type: ResourceType, custom: boolean): ClusterObject {
  const meta = object.metadata;
  const labels = { ...(meta.labels ?? {}) };
  delete labels[managedBy.key];
  const refs = meta.ownerReferences ?? [];
  const owner = (refs.find((r) => r.controller === true) ?? refs[0])?.name ?? null;
  const kept = meta.annotations?.[specAnnotation];
  let spec: unknown = object.spec;
  if (!custom && kept !== undefined) {
    try {
      spec = JSON.parse(kept);
    } catch {
      spec = object.spec; // someone edited the annotation: show what runs
    }
  }
  const conditions = (object.status as { conditions?: unknown } | undefined)?.conditions;
  return {
    kind: type.kind,
    name: meta.name,
    labels,
    owner,
    spec,
    conditions: Array.isArray(conditions)
      ? conditions.map((c) => portCondition(c as Record<string, unknown>))
      : [],
    resourceVersion: meta.resourceVersion ?? "",
  };
}

/**
 * The Kubernetes object to create for a port object: labels plus {@link managedBy}, the owner
 * reference, and the spec (a custom resource's own, or a workload built from it).
 *
 * @example
 * ```ts
 * toKube(evaluation, customType("Evaluation", group), "default", null, true, { steps: "kubernetes" });
 * ```
 */
export function toKube(
  object: NewClusterObject,
  type: ResourceType,
  namespace: string,
  owner: OwnerRef | null,
  custom: boolean,
  workloads: WorkloadOptions,
): Record<string, unknown> {
  const labels = { ...object.labels, [managedBy.key]: managedBy.value };
  const metadata = {
    name: object.name,
    namespace,
    labels,
    ...(custom ? {} : { annotations: { [specAnnotation]: JSON.stringify(object.spec) } }),
    ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}),
  };
  const base = { apiVersion: apiVersionOf(type), kind: type.kind, metadata };
  if (custom) return object.spec === undefined ? base : { ...base, spec: object.spec };
  const podLabels = { ...object.labels };
  const spec =
    type.kind === "Job"
      ? jobSpec(object, workloads, podLabels)
      : deploymentSpec(object, workloads, podLabels);
  return { ...base, spec };
}

/**
 * A status write: the conditions in Kubernetes' shape for the kind (a Job's and a Deployment's carry
 * extra time fields the API server requires or keeps), on `current` if given, else on a bare object.
 */
export function withConditions(
  current: KubeObject | null,
  type: ResourceType,
  namespace: string,
  name: string,
  resourceVersion: string,
  conditions: readonly Condition[],
): Record<string, unknown> {
  const status = (current?.status ?? {}) as Record<string, unknown>;
  const shaped = conditions.map((c) =>
    type.kind === "Job"
      ? { ...c, lastProbeTime: c.lastTransitionTime }
      : type.kind === "Deployment"
        ? { ...c, lastUpdateTime: c.lastTransitionTime }
        : { ...c },
  );
  return {
    ...(current ?? { apiVersion: apiVersionOf(type), kind: type.kind }),
    metadata: { ...(current?.metadata ?? {}), name, namespace, resourceVersion },
    status: { ...status, conditions: shaped },
  };
}
