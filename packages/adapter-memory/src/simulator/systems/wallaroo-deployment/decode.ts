import { DecodeError, type DecodeIssue, formatPath } from "@phasekit/core";
import { decodeItems } from "../fields.js";
import {
  checkWallarooDeployments,
  type WallarooDeploymentsScenario,
  wallarooDeploymentEvent,
  wallarooDeploymentResource,
} from "./scenario.js";

/**
 * Decodes the Wallaroo deployment part of a scenario: the resources and events with
 * `system: wallaroo`. Its engine runs as an actor of the one loop, on its own or beside the other
 * systems (`systems/run.ts`).
 *
 * @module
 */

const isWallaroo = (v: unknown): v is { system: "wallaroo"; id?: unknown } =>
  typeof v === "object" && v !== null && (v as { system?: unknown }).system === "wallaroo";

/**
 * Decodes the `system: wallaroo` entries of a scenario's `resources` and `events` (the others are
 * left alone), or a {@link DecodeError} naming each problem at its path in the file.
 *
 * @example
 * ```ts
 * const part = decodeWallarooDeployments({ resources: [{ system: "wallaroo", kind: "Deployment", id: "p", config: { maximum: 5 } }] });
 * ```
 */
export function decodeWallarooDeployments(
  input: { readonly resources?: unknown; readonly events?: unknown },
  subject = "scenario",
): WallarooDeploymentsScenario | DecodeError {
  const issues: DecodeIssue[] = [];
  const deployments = decodeItems(
    input.resources,
    "resources",
    wallarooDeploymentResource,
    isWallaroo,
    subject,
    issues,
  );
  const events = decodeItems(input.events, "events", wallarooDeploymentEvent, isWallaroo, subject, issues);
  const declared = new Set<string>();
  if (Array.isArray(input.resources))
    for (const r of input.resources) if (isWallaroo(r) && typeof r.id === "string") declared.add(r.id);
  for (const i of checkWallarooDeployments(
    deployments.map((d) => ({ path: d.path, deployment: d.value })),
    events.map((e) => ({ path: e.path, event: e.value })),
    declared,
  ))
    issues.push({ path: formatPath(i.path), value: i.input, expected: i.message });
  if (issues.length > 0) return new DecodeError(subject, issues);
  return { deployments: deployments.map((d) => d.value), events: events.map((e) => e.value) };
}
