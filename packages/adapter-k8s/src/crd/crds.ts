import { dyffKinds, entityId } from "@phasekit/core";
import { z } from "zod";
import { crdVersion, dyffKindNames } from "../kinds.js";
import { type OpenApiSchema, structuralSchema } from "./structural.js";

/**
 * The CustomResourceDefinitions of the Dyff kinds, generated from the zod schemas of
 * `@phasekit/core` (`dyffKinds[kind].spec`), never written by hand: a schema change in core changes
 * the CRD, and `manifests/crds.yaml` is checked against this output by a test.
 *
 * A custom resource's `spec` is the cluster port's spec. For a workflow the orchestrator writes
 * `{ id, account, request, spec }` (`workflowResource`), for a step the operator writes
 * `{ workflow, role, resources }` (`StepSpec`): those fields are typed, the entity spec by its kind's
 * own schema. The port's spec is otherwise opaque (`unknown`), so `spec` alone preserves unknown
 * fields; every typed field below it is validated and pruned as usual.
 *
 * @module
 */

const quantity = z.number().nonnegative();

/** What an admitted workflow holds (core's `ResourceRequest`). */
const request = z
  .object({ gpu: quantity, cpu: quantity, memoryGiB: quantity, slots: quantity })
  .partial()
  .strict();

/** A step object's spec (core's `StepSpec`). */
const step = {
  workflow: z.object({ kind: z.string().min(1), id: entityId }).strict(),
  role: z.enum(["session", "client", "verify", "fetch", "build", "run", "deployment"]),
  resources: z.object({ gpu: quantity, cpu: quantity, memoryGiB: quantity }).strict(),
};

/** The port's `Condition`, exactly: the control plane writes and reads these five fields. */
const condition = z
  .object({
    type: z.string().min(1).max(316),
    status: z.enum(["True", "False", "Unknown"]),
    reason: z.string().max(1024),
    message: z.string().max(32768),
    lastTransitionTime: z.string(),
  })
  .strict();

/**
 * The zod schema of a Dyff kind's custom resource spec (every field optional: see the module note).
 *
 * @example
 * ```ts
 * customResourceSpec("Evaluation").safeParse(workflowResource(entity, requestOf(entity)).spec).success; // true
 * ```
 */
export function customResourceSpec(kind: keyof typeof dyffKinds) {
  const common = {
    id: entityId,
    account: z.string().min(1),
    request,
    spec: dyffKinds[kind].spec as z.ZodType,
  };
  // Two plain shapes, not a conditional spread: the spread's inferred type declares `| undefined`
  // members that a consumer's tsc (skipLibCheck false) rejects in our .d.ts.
  return kind === "InferenceSession"
    ? z.object({ ...common, ...step }).partial()
    : z.object(common).partial();
}

/**
 * The zod schema of every custom resource's `status`.
 *
 * @example
 * ```ts
 * customResourceStatus.parse({ conditions: [workflowCondition("Admitted", null, at)] });
 * ```
 */
export const customResourceStatus = z.object({ conditions: z.array(condition) }).partial();

const described = (schema: OpenApiSchema, description: string): OpenApiSchema => ({ ...schema, description });

/**
 * The `openAPIV3Schema` of a Dyff kind's custom resource.
 *
 * @example
 * ```ts
 * customResourceSchema("Model").properties?.spec?.["x-kubernetes-preserve-unknown-fields"]; // true
 * ```
 */
export function customResourceSchema(kind: keyof typeof dyffKinds): OpenApiSchema {
  return {
    type: "object",
    description: `A Dyff ${kind} workflow resource, managed by phasekit's control plane.`,
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { type: "object" },
      spec: {
        ...described(
          structuralSchema(customResourceSpec(kind), `${kind}.spec`),
          "The cluster port's spec: for a workflow {id, account, request, spec}, for a step {workflow, role, resources}.",
        ),
        "x-kubernetes-preserve-unknown-fields": true,
      },
      status: described(
        structuralSchema(customResourceStatus, `${kind}.status`),
        "Conditions: the type is the Dyff status (Admitted, Complete, Failed...), the reason its reason; steps report Complete, Failed or Available.",
      ),
    },
  };
}

/** A CustomResourceDefinition object, ready to create. */
export interface CustomResourceDefinition {
  readonly apiVersion: "apiextensions.k8s.io/v1";
  readonly kind: "CustomResourceDefinition";
  readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: Record<string, unknown>;
}

/**
 * The CRD of one Dyff kind in `group`: namespaced, one served and stored version, the status
 * subresource (conditions are written through `/status`, so a spec write cannot clobber them).
 *
 * @example
 * ```ts
 * dyffCrd("Evaluation", "dyff.phasekit.dev").metadata.name; // "evaluations.dyff.phasekit.dev"
 * ```
 */
export function dyffCrd(kind: keyof typeof dyffKinds, group: string): CustomResourceDefinition {
  const plural = `${kind.toLowerCase()}s`;
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.${group}`, labels: { "app.kubernetes.io/managed-by": "phasekit" } },
    spec: {
      group,
      scope: "Namespaced",
      names: {
        kind,
        listKind: `${kind}List`,
        plural,
        singular: kind.toLowerCase(),
        categories: ["dyff", "phasekit"],
      },
      versions: [
        {
          name: crdVersion,
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: customResourceSchema(kind) },
          additionalPrinterColumns: [
            { name: "Account", type: "string", jsonPath: ".spec.account" },
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
        },
      ],
    },
  };
}

/**
 * The CRDs of every Dyff kind.
 *
 * @example
 * ```ts
 * dyffCrds("dyff.phasekit.dev").map((c) => c.metadata.name);
 * ```
 */
export function dyffCrds(group: string): CustomResourceDefinition[] {
  return dyffKindNames.map((kind) => dyffCrd(kind, group));
}
