import { workflowCondition } from "@phasekit/core";
import type { KubeClient } from "../client.js";
import { customType, defaultGroup } from "../kinds.js";

/**
 * Evaluation objects for the list/watch tests: the custom type, a minimal object, and a workflow
 * condition appended as the operator appends one.
 *
 * @module
 */

/** The Evaluation custom type in phasekit's default API group. */
export const evaluations = customType("Evaluation", defaultGroup);

/** A minimal Evaluation object named `name`. */
export const evaluation = (name: string) => ({
  apiVersion: `${defaultGroup}/v1alpha1`,
  kind: "Evaluation",
  metadata: { name },
  spec: { id: name, account: "alice" },
});

/** Appends a workflow condition through the status subresource, as the operator does. */
export async function addCondition(
  client: KubeClient,
  namespace: string,
  name: string,
  status: string,
  reason: string | null,
) {
  const current = await client.get(evaluations, namespace, name);
  const conditions = [
    ...(
      ((current.status as { conditions?: unknown[] } | undefined)?.conditions ?? []) as { type: string }[]
    ).filter((c) => c.type !== status),
    workflowCondition(status, reason, new Date().toISOString()),
  ];
  return client.updateStatus(evaluations, namespace, name, { ...current, status: { conditions } });
}
