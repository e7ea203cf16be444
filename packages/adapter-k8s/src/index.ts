/**
 * phasekit's Kubernetes adapter: the cluster port on a real API server (Dyff kinds as custom
 * resources generated from core's zod schemas, steps as Jobs and Deployments), a list/watch loop
 * that survives 410 Gone, API server restarts and silent stalls, and Run:ai statuses derived from
 * real Pods and Jobs.
 *
 * @packageDocumentation
 */
export {
  apiVersionOf,
  collectionPath,
  createKubeClient,
  isGone,
  KubeApiError,
  type KubeClient,
  type KubeObject,
  type ListOptions,
  type ResourceType,
  TransportError,
  type WatchEvent,
  type WatchOptions,
} from "./client.js";
export { type KubeCluster, makeKubeCluster } from "./cluster.js";
export { decodeK8sConfig, type K8sConfig, type K8sConfigInput, k8sConfigFromEnv } from "./config.js";
export {
  type CustomResourceDefinition,
  customResourceSchema,
  customResourceSpec,
  customResourceStatus,
  dyffCrd,
  dyffCrds,
} from "./crd/crds.js";
export { type InstallReport, installCrds } from "./crd/install.js";
export { crdManifest } from "./crd/manifest.js";
export { type OpenApiSchema, structuralProblems, structuralSchema } from "./crd/structural.js";
export { toClusterError } from "./errors.js";
export { crdType, crdVersion, customType, defaultGroup, nativeTypes, podType, portTypes } from "./kinds.js";
export { inClusterConfig, KubeconfigError, loadKubeconfig, serviceAccountDir } from "./kubeconfig.js";
export { layerK8s } from "./layer.js";
export { managedBy, specAnnotation } from "./objects.js";
export {
  type RunaiStatusChange,
  type RunaiWatch,
  type RunaiWatchOptions,
  watchRunaiStatuses,
} from "./runai.js";
export { type SessionRunner, startSessionRunner } from "./session-runner.js";
export { writeConditionsRetrying } from "./status-writes.js";
export {
  ChangeJournal,
  defaultJournalCapacity,
  type JournalAnswer,
  type JournalKey,
} from "./watch/change-journal.js";
export {
  type CacheEvent,
  type CacheListener,
  ListWatch,
  type ListWatchOptions,
  type ListWatchStats,
} from "./watch/list-watch.js";
export { backoffMs, defaultWatchTiming, type WatchTiming } from "./watch/timing.js";
export { externalManager, type WorkloadOptions } from "./workloads.js";
