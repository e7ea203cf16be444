import type { ScenarioKind, ScenarioResource } from "./scenario.js";

/**
 * From a scenario's resource to what the command API is sent, and to how long its steps run.
 *
 * @module
 */

/** What the simulator needs of a resource to create it: the scenario's fields, `needs` resolved to kinds. */
export interface ResourceToCreate {
  readonly kind: ScenarioKind;
  readonly id: string;
  readonly account: string;
  /** Dependencies by the kind they must have (`{ InferenceService: "svc1", Dataset: "d1" }`). */
  readonly needs: Partial<Readonly<Record<ScenarioKind, string>>>;
  readonly gpu?: number | undefined;
  readonly cpu?: number | undefined;
  readonly memoryGiB?: number | undefined;
  readonly labels?: Readonly<Record<string, string>>;
  /** Milliseconds of work once admitted (default one minute). */
  readonly takes?: number | undefined;
}

/** The default `takes`: one minute. */
export const defaultTakes = 60_000;

/** A scenario resource with its `needs` resolved against the other resources' kinds. */
export function toCreate(
  r: ScenarioResource,
  kindOf: (id: string) => ScenarioKind | undefined,
): ResourceToCreate {
  const needs: Partial<Record<ScenarioKind, string>> = {};
  for (const id of r.needs) {
    const kind = kindOf(id);
    if (kind) needs[kind] = id;
  }
  return { ...r, needs };
}

/**
 * The create request (`{ kind, id, account, spec, labels }`) of a resource: its needs and compute
 * request placed where the kind's spec keeps them.
 *
 * @example
 * ```ts
 * createRequestOf({ kind: "InferenceService", id: "svc1", account: "a", needs: { Model: "m1" } }).spec;
 * // { model: "m1", resources: { gpu: 0, cpu: 0, memoryGiB: 0 } }
 * ```
 */
export function createRequestOf(r: ResourceToCreate): {
  kind: string;
  id: string;
  account: string;
  spec: unknown;
  labels: Readonly<Record<string, string>>;
} {
  const resources = { gpu: r.gpu ?? 0, cpu: r.cpu ?? 0, memoryGiB: r.memoryGiB ?? 0 };
  return { kind: r.kind, id: r.id, account: r.account, spec: specOf(r, resources), labels: r.labels ?? {} };
}

/** A switch, not a table of closures: six closures made per create showed in a burst's profile. */
function specOf(r: ResourceToCreate, resources: { gpu: number; cpu: number; memoryGiB: number }): unknown {
  const n = r.needs;
  switch (r.kind) {
    case "Model":
      return { resources };
    case "Dataset":
      return {};
    case "InferenceService":
      return { ...(n.Model ? { model: n.Model } : {}), resources };
    case "InferenceSession":
      return { inferenceService: n.InferenceService, replicas: 1, resources };
    case "Evaluation":
      return {
        inferenceSession: { inferenceService: n.InferenceService, replicas: 1 },
        dataset: n.Dataset,
        resources,
      };
    case "Report":
      return { evaluation: n.Evaluation, resources };
  }
}

/**
 * How long one step runs, from its workflow's `takes`. An Evaluation spends its last tenth (at least
 * a second, at most all of it) verifying, the rest in its client job; its inference server is up at
 * once. Every other kind's single step runs the whole `takes`.
 *
 * @example
 * ```ts
 * stepDuration("Evaluation", "client", 600_000); // 540_000
 * stepDuration("Evaluation", "verify", 600_000); // 60_000
 * ```
 */
export function stepDuration(kind: string, role: string, takes: number): number {
  if (kind !== "Evaluation") return takes;
  const verify = Math.min(takes, Math.max(1000, Math.round(takes / 10_000) * 1000));
  if (role === "verify") return verify;
  if (role === "client") return takes - verify;
  return 0;
}
