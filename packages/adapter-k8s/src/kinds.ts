import { dyffKinds } from "@phasekit/core";
import type { ResourceType } from "./client.js";

/**
 * Which Kubernetes resource holds each kind of the cluster port: every Dyff kind is a custom
 * resource of our group (its spec is the port's spec, its `.status.conditions` the port's
 * conditions); the step kinds `Job` and `Deployment` are the built-in `batch/v1` Job and `apps/v1`
 * Deployment, run by Kubernetes' own controllers.
 *
 * @module
 */

/** The API group of the Dyff custom resources unless configured otherwise. */
export const defaultGroup = "dyff.phasekit.dev";
export const crdVersion = "v1alpha1";

/** The Dyff kinds that get a custom resource definition, in the order they are listed. */
export const dyffKindNames = Object.keys(dyffKinds) as readonly (keyof typeof dyffKinds)[];

/**
 * Built-in kinds the port may create (steps).
 *
 * @example
 * ```ts
 * await client.list(nativeTypes.Job!, "team-a");
 * ```
 */
export const nativeTypes: Readonly<Record<string, ResourceType>> = {
  Job: { group: "batch", version: "v1", kind: "Job", plural: "jobs", namespaced: true },
  Deployment: { group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true },
};

/** Other built-in kinds the adapter reads or the tests use. */
export const podType: ResourceType = {
  group: "",
  version: "v1",
  kind: "Pod",
  plural: "pods",
  namespaced: true,
};
export const crdType: ResourceType = {
  group: "apiextensions.k8s.io",
  version: "v1",
  kind: "CustomResourceDefinition",
  plural: "customresourcedefinitions",
  namespaced: false,
};

/**
 * The resource type of a Dyff kind's custom resource.
 *
 * @example
 * ```ts
 * customType("InferenceSession", "dyff.phasekit.dev").plural; // "inferencesessions"
 * ```
 */
export function customType(kind: string, group: string): ResourceType {
  return { group, version: crdVersion, kind, plural: `${kind.toLowerCase()}s`, namespaced: true };
}

/**
 * Every kind the port knows, mapped to its resource; an unknown kind is undefined.
 *
 * @example
 * ```ts
 * portTypes("dyff.phasekit.dev").get("Job")?.plural; // "jobs"
 * ```
 */
export function portTypes(group: string): ReadonlyMap<string, ResourceType> {
  const types = new Map<string, ResourceType>();
  for (const kind of dyffKindNames) types.set(kind, customType(kind, group));
  for (const [kind, t] of Object.entries(nativeTypes)) types.set(kind, t);
  return types;
}

/** Whether the kind is one of our custom resources (as opposed to a built-in kind). */
export const isCustom = (t: ResourceType, group: string): boolean => t.group === group;
