import type { NewClusterObject } from "@phasekit/core";

/**
 * What a step of the cluster port becomes when Kubernetes runs it: a `batch/v1` Job (one pod, no
 * retry) or an `apps/v1` Deployment (one replica), whose pod asks for the step's resources. The
 * image is a name, not something pulled: on kwok's fake nodes no container runs, and stage
 * annotations on the pod (see `podAnnotations`) decide how it ends.
 *
 * @module
 */

/** How the adapter builds the workloads of steps. */
export interface WorkloadOptions {
  /**
   * `kubernetes`: Jobs are run by the Job controller. `external`: Jobs are created with
   * `spec.managedBy`, so the Job controller leaves them alone and whoever runs the steps (a
   * simulator, a test) writes their conditions, as with the memory adapter.
   */
  readonly steps: "kubernetes" | "external";
  /** The container image of a step (default `registry.invalid/phasekit/<role>:latest`). */
  readonly image?: (step: NewClusterObject) => string;
  /** Annotations on the step's pod, e.g. kwok's `kwok.phasekit.dev/exit-code` to make it fail. */
  readonly podAnnotations?: (step: NewClusterObject) => Readonly<Record<string, string>>;
}

/**
 * The `spec.managedBy` value of Jobs that phasekit's own step runner (not Kubernetes) drives.
 *
 * @example
 * ```ts
 * jobSpec(step, { steps: "external" }, {}).managedBy === externalManager; // true
 * ```
 */
export const externalManager = "phasekit.dev/external";
/** The label that ties a Deployment's pods to it. */
export const stepLabel = "phasekit.dev/step";

interface StepShape {
  readonly role?: unknown;
  readonly resources?: { readonly gpu?: unknown; readonly cpu?: unknown; readonly memoryGiB?: unknown };
}

const positive = (v: unknown): number | undefined => (typeof v === "number" && v > 0 ? v : undefined);

function container(step: NewClusterObject, options: WorkloadOptions) {
  const spec = (step.spec ?? {}) as StepShape;
  const role = typeof spec.role === "string" && /^[a-z][a-z0-9-]{0,62}$/.test(spec.role) ? spec.role : "main";
  const gpu = positive(spec.resources?.gpu);
  const cpu = positive(spec.resources?.cpu);
  const memory = positive(spec.resources?.memoryGiB);
  const requests: Record<string, string> = {
    ...(cpu ? { cpu: String(cpu) } : {}),
    ...(memory ? { memory: `${Math.ceil(memory * 1024)}Mi` } : {}),
    ...(gpu ? { "nvidia.com/gpu": String(gpu) } : {}),
  };
  return {
    name: role,
    image: options.image?.(step) ?? `registry.invalid/phasekit/${role}:latest`,
    // Extended resources (GPUs) must have limit = request.
    resources: { requests, ...(gpu ? { limits: { "nvidia.com/gpu": String(gpu) } } : {}) },
  };
}

function podTemplate(step: NewClusterObject, options: WorkloadOptions, labels: Record<string, string>) {
  const annotations = options.podAnnotations?.(step) ?? {};
  return {
    metadata: { labels, ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}) },
    spec: { containers: [container(step, options)] },
  };
}

/**
 * The spec of the Job that runs a step: one pod, `restartPolicy: Never`, `backoffLimit: 0` (a
 * failed pod fails the step, which fails the workflow: Dyff does not retry work).
 *
 * @example
 * ```ts
 * jobSpec(step, { steps: "kubernetes" }).template.spec.containers[0].name; // "client"
 * ```
 */
export function jobSpec(step: NewClusterObject, options: WorkloadOptions, labels: Record<string, string>) {
  const template = podTemplate(step, options, labels);
  return {
    backoffLimit: 0,
    ...(options.steps === "external" ? { managedBy: externalManager } : {}),
    template: { ...template, spec: { ...template.spec, restartPolicy: "Never" } },
  };
}

/**
 * The spec of the Deployment that runs a server step: one replica selected by the step's name.
 *
 * @example
 * ```ts
 * deploymentSpec(step, { steps: "kubernetes" }, labels).replicas; // 1
 * ```
 */
export function deploymentSpec(
  step: NewClusterObject,
  options: WorkloadOptions,
  labels: Record<string, string>,
) {
  const selector = { [stepLabel]: step.name };
  return {
    replicas: 1,
    selector: { matchLabels: selector },
    template: podTemplate(step, options, { ...labels, ...selector }),
  };
}
