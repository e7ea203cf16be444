import { DecodeError } from "../lifecycle/errors.js";
import type { AnyLifecycle, Lifecycle } from "../lifecycle/lifecycle.js";
import type { Phase } from "../lifecycle/phase.js";
import { type dyff, dyffSystem } from "../systems/dyff/index.js";
import { raySystem } from "../systems/ray/index.js";
import type { rayStepLifecycle } from "../systems/ray/step.js";
import type { rayWorkflowLifecycle } from "../systems/ray/workflow.js";
import { type runai, runaiSystem } from "../systems/runai/index.js";
import { INIT_PROGRESS } from "../systems/runai/statuses.js";
import type { wallarooDeployment } from "../systems/wallaroo/deployment.js";
import { wallarooSystem } from "../systems/wallaroo/index.js";
import type { wallarooOrchestration } from "../systems/wallaroo/orchestration.js";
import type { wallarooTask } from "../systems/wallaroo/task.js";
import type { wallarooTaskRun } from "../systems/wallaroo/task-run.js";
import type { SystemDefinition } from "./system.js";

/**
 * The typed lifecycle of every kind in {@link catalog}, by system and kind: what
 * `catalog.lifecycle("dyff", "Report")` returns for literal names. A test checks it against the
 * catalog's contents, so the two cannot drift.
 */
export interface CatalogLifecycles {
  readonly dyff: typeof dyff;
  readonly runai: typeof runai;
  readonly wallaroo: {
    readonly Orchestration: typeof wallarooOrchestration;
    readonly Task: typeof wallarooTask;
    readonly TaskRun: typeof wallarooTaskRun;
    readonly Deployment: typeof wallarooDeployment;
  };
  readonly ray: {
    readonly Workflow: typeof rayWorkflowLifecycle;
    readonly Step: typeof rayStepLifecycle;
  };
}

/**
 * The one registry: system -> kind -> lifecycle (machine, compiled table, schemas). Lookups of unknown
 * names return a {@link DecodeError} that lists what exists, so a CLI can print it as it is.
 *
 * @example
 * ```ts
 * import { catalog } from "@phasekit/core";
 * const evaluation = catalog.lifecycle("dyff", "Evaluation");
 * ```
 */
export class Catalog {
  private readonly bySystem: ReadonlyMap<string, SystemDefinition>;
  private readonly byKind: ReadonlyMap<string, ReadonlyMap<string, Lifecycle>>;

  constructor(readonly systems: readonly SystemDefinition[]) {
    this.bySystem = new Map(systems.map((s) => [s.name, s]));
    this.byKind = new Map(systems.map((s) => [s.name, new Map(s.lifecycles.map((l) => [l.kind, l]))]));
  }

  get systemNames(): string[] {
    return this.systems.map((s) => s.name);
  }

  system(name: string): SystemDefinition | DecodeError {
    return (
      this.bySystem.get(name) ??
      new DecodeError("system", [
        { path: "system", value: name, expected: `one of ${this.systemNames.join(", ")}` },
      ])
    );
  }

  /**
   * The lifecycle of a kind. With literal names of a built-in kind it is that kind's typed lifecycle
   * (`catalog.lifecycle("dyff", "Report")` steps only Report's events); with runtime strings it is
   * {@link AnyLifecycle} or a {@link DecodeError} listing what exists.
   */
  lifecycle<Sys extends keyof CatalogLifecycles, K extends keyof CatalogLifecycles[Sys]>(
    system: Sys,
    kind: K,
  ): CatalogLifecycles[Sys][K];
  lifecycle(system: string, kind: string): AnyLifecycle | DecodeError;
  lifecycle(system: string, kind: string): AnyLifecycle | DecodeError {
    const kinds = this.byKind.get(system);
    if (!kinds)
      return new DecodeError("lifecycle", [
        { path: "system", value: system, expected: `one of ${this.systemNames.join(", ")}` },
      ]);
    return (
      kinds.get(kind) ??
      new DecodeError("lifecycle", [
        {
          path: "kind",
          value: kind,
          expected: `one of ${[...kinds.keys()].join(", ")} (the kinds of ${system})`,
        },
      ])
    );
  }

  /**
   * The common phase of a status of a kind, as its machine declares it (`StatusSpec.phase`). A
   * status as Run:ai displays it (`Init:1/2`) reads as the machine's `Init:<done>/<total>`. Unknown
   * names give a {@link DecodeError} listing what exists.
   *
   * @example
   * ```ts
   * import { catalog } from "@phasekit/core";
   * catalog.phase("ray", "Workflow", "PENDING"); // "Queued"
   * catalog.phase("runai", "DistributedJob", "Init:1/2"); // "Starting"
   * ```
   */
  phase(system: string, kind: string, status: string): Phase | DecodeError {
    const lc = this.lifecycle(system, kind);
    if (lc instanceof DecodeError) return lc;
    const name = system === "runai" && /^Init:\d+\/\d+$/.test(status) ? INIT_PROGRESS : status;
    const st = Object.hasOwn(lc.spec.statuses, name) ? lc.spec.statuses[name] : undefined;
    if (st) return st.phase;
    return new DecodeError("phase", [
      {
        path: "status",
        value: status,
        expected: `one of ${Object.keys(lc.spec.statuses).join(", ")} (the statuses of ${system}/${kind})`,
      },
    ]);
  }

  /** Every lifecycle of every system, in catalog order. */
  all(): Lifecycle[] {
    return this.systems.flatMap((s) => [...s.lifecycles]);
  }
}

/** The catalog of every system phasekit encodes. */
export const catalog = new Catalog([dyffSystem, runaiSystem, wallarooSystem, raySystem]);
