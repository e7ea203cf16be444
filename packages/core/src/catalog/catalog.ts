import { DecodeError } from "../lifecycle/errors.js";
import type { Lifecycle } from "../lifecycle/lifecycle.js";
import { dyffSystem } from "../systems/dyff/index.js";
import { raySystem } from "../systems/ray/index.js";
import { runaiSystem } from "../systems/runai/index.js";
import { wallarooSystem } from "../systems/wallaroo/index.js";
import type { SystemDefinition } from "./system.js";

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

  lifecycle(system: string, kind: string): Lifecycle | DecodeError {
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

  /** Every lifecycle of every system, in catalog order. */
  all(): Lifecycle[] {
    return this.systems.flatMap((s) => [...s.lifecycles]);
  }
}

/** The catalog of every system phasekit encodes. */
export const catalog = new Catalog([dyffSystem, runaiSystem, wallarooSystem, raySystem]);
