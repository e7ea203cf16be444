import * as z from "zod";

/**
 * The part of Kubernetes' `V1Pod` and `V1Job` (core/v1, batch/v1) that the Run:ai derivation reads,
 * as zod schemas. Decoded, never trusted: the fields the API marks required are required here too,
 * enumerations are checked, and every other field passes through untouched (loose objects), so a
 * `kubectl get -o yaml` dump decodes as it is.
 */

const stringMap = z.record(z.string(), z.string());
const conditionStatus = z.enum(["True", "False", "Unknown"]);

/** `metadata` of any object: name is required, the rest optional. */
export const k8sObjectMeta = z.looseObject({
  name: z.string().min(1, "a non-empty name"),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  creationTimestamp: z.string().nullish(),
  deletionTimestamp: z.string().nullish(),
  labels: stringMap.nullish(),
  annotations: stringMap.nullish(),
  ownerReferences: z
    .array(z.looseObject({ apiVersion: z.string(), kind: z.string(), name: z.string(), uid: z.string() }))
    .nullish(),
});

/** `V1ContainerState`: at most one of waiting, running, terminated is set. */
export const k8sContainerState = z
  .looseObject({
    waiting: z.looseObject({ reason: z.string().nullish(), message: z.string().nullish() }).nullish(),
    running: z.looseObject({ startedAt: z.string().nullish() }).nullish(),
    terminated: z
      .looseObject({
        exitCode: z.number().int(),
        signal: z.number().int().nullish(),
        reason: z.string().nullish(),
        message: z.string().nullish(),
        startedAt: z.string().nullish(),
        finishedAt: z.string().nullish(),
      })
      .nullish(),
  })
  .refine((s) => [s.waiting, s.running, s.terminated].filter((x) => x != null).length <= 1, {
    message: "at most one of waiting, running, terminated",
  });

/** `V1ContainerStatus`. */
export const k8sContainerStatus = z.looseObject({
  name: z.string(),
  ready: z.boolean(),
  restartCount: z.number().int().nonnegative(),
  started: z.boolean().nullish(),
  state: k8sContainerState.nullish(),
  lastState: k8sContainerState.nullish(),
});

const container = z.looseObject({ name: z.string(), restartPolicy: z.string().nullish() });

/** `V1PodCondition` and `V1JobCondition` share this shape. */
export const k8sCondition = z.looseObject({
  type: z.string(),
  status: conditionStatus,
  reason: z.string().nullish(),
  message: z.string().nullish(),
});

export const k8sPodPhase = z.enum(["Pending", "Running", "Succeeded", "Failed", "Unknown"]);

/** `V1Pod`, the subset kubectl's STATUS column and the Run:ai derivation read. */
export const k8sPod = z.looseObject({
  apiVersion: z.literal("v1"),
  kind: z.literal("Pod"),
  metadata: k8sObjectMeta,
  spec: z.looseObject({
    containers: z.array(container).min(1, "at least one container"),
    initContainers: z.array(container).nullish(),
    restartPolicy: z.enum(["Always", "OnFailure", "Never"]).nullish(),
    nodeName: z.string().nullish(),
    priorityClassName: z.string().nullish(),
  }),
  status: z
    .looseObject({
      phase: k8sPodPhase.nullish(),
      reason: z.string().nullish(),
      message: z.string().nullish(),
      conditions: z.array(k8sCondition).nullish(),
      initContainerStatuses: z.array(k8sContainerStatus).nullish(),
      containerStatuses: z.array(k8sContainerStatus).nullish(),
    })
    .nullish(),
});

/** `V1Job`, the subset the Run:ai derivation reads (a Run:ai training job, or an MPI launcher). */
export const k8sJob = z.looseObject({
  apiVersion: z.literal("batch/v1"),
  kind: z.literal("Job"),
  metadata: k8sObjectMeta,
  spec: z.looseObject({
    template: z.looseObject({}),
    backoffLimit: z.number().int().nonnegative().nullish(),
    suspend: z.boolean().nullish(),
  }),
  status: z
    .looseObject({
      conditions: z.array(k8sCondition).nullish(),
      active: z.number().int().nonnegative().nullish(),
      succeeded: z.number().int().nonnegative().nullish(),
      failed: z.number().int().nonnegative().nullish(),
      startTime: z.string().nullish(),
    })
    .nullish(),
});

export type K8sPod = z.output<typeof k8sPod>;
export type K8sJob = z.output<typeof k8sJob>;
export type K8sContainerStatus = z.output<typeof k8sContainerStatus>;
export type K8sCondition = z.output<typeof k8sCondition>;

/** A Pod or a Job, told apart by `kind`. */
export const k8sRunaiObject = z.discriminatedUnion("kind", [k8sPod, k8sJob]);
export type K8sRunaiObject = K8sPod | K8sJob;

/** A `List`, `PodList` or `JobList` (what `kubectl get -o yaml` prints for several objects). */
export const k8sRunaiList = z.looseObject({
  kind: z.enum(["List", "PodList", "JobList"]),
  items: z.array(k8sRunaiObject),
});

/** A file's content: one Pod, one Job, or a list of them. */
export const k8sRunaiDocument = z.union([k8sRunaiObject, k8sRunaiList]);

/** `kind/name`, as kubectl names an object. */
export const k8sRef = (o: K8sRunaiObject) => `${o.kind}/${o.metadata.name}`;

/** The phases after which a pod never runs again (`IsPodPhaseTerminal`). */
export const isTerminalPhase = (phase: string | null | undefined) =>
  phase === "Succeeded" || phase === "Failed";

/** The first condition of a type whose status is True, with its index (for the deciding field). */
export function trueCondition(
  conditions: readonly K8sCondition[] | null | undefined,
  type: string,
): { readonly index: number; readonly condition: K8sCondition } | undefined {
  const index = (conditions ?? []).findIndex((c) => c.type === type && c.status === "True");
  return index < 0 ? undefined : { index, condition: conditions![index]! };
}
