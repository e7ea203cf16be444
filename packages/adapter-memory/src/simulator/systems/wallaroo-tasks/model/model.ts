import { expect } from "vitest";
import { WallarooTasksEngine } from "../engine.js";
import { wallarooTasksInvariants } from "../invariants.js";
import { wallarooOrchestrationResource } from "../scenario.js";

/**
 * The model-based test of the Wallaroo tasks engine: the model knows which tasks were created and
 * which were killed; the real system is one engine with a ready orchestration `o`. After every
 * command every invariant holds, and a killed task's last status in the timeline is what its state says.
 *
 * @module
 */

export interface Model {
  readonly ids: string[];
  readonly killed: Set<string>;
}

export interface Real {
  readonly engine: WallarooTasksEngine;
}

/** A fresh engine whose orchestration `o` is ready (uploaded at 0, ready at 35 s). */
export function readyEngine(): WallarooTasksEngine {
  const engine = new WallarooTasksEngine();
  engine.upload(
    wallarooOrchestrationResource.parse({
      system: "wallaroo",
      kind: "Orchestration",
      id: "o",
      files: { "main.py": "" },
    }),
  );
  engine.advanceTo(60_000);
  return engine;
}

export const pick = (model: Model, target: number) =>
  model.ids.length === 0 ? undefined : model.ids[target % model.ids.length];

export function checkStep(real: Real, model: Model): void {
  for (const i of wallarooTasksInvariants(real.engine)) expect(i.detail, i.name).toBeNull();
  for (const id of model.ids)
    expect(real.engine.timeline.findLast((e) => e.id === id)?.status, id).toBe(
      real.engine.tasks.get(id)?.task.status,
    );
}
