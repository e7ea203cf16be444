import type fc from "fast-check";
import { expect } from "vitest";
import { wallarooTaskResource } from "../scenario.js";
import { checkStep, type Model, type Real } from "./model.js";

/** One run's script: its outcome and how long it takes (seconds). */
export type RunScript = readonly ["success" | "failure" | "hang", number];

/** `run_once` / `run_scheduled` / `run_continuously` now, with scripted runs and an optional timeout. */
export class CreateCommand implements fc.Command<Model, Real> {
  constructor(
    readonly type: "once" | "scheduled" | "continuous",
    readonly schedule: string,
    readonly runs: readonly RunScript[],
    readonly timeoutSeconds: number | null,
  ) {}

  check(): boolean {
    return true;
  }

  run(model: Model, real: Real): void {
    const id = `t${model.ids.length + 1}`;
    real.engine.create(
      wallarooTaskResource.parse({
        system: "wallaroo",
        kind: "Task",
        id,
        orchestration: "o",
        type: this.type,
        ...(this.type === "scheduled" && { schedule: this.schedule }),
        ...(this.type !== "continuous" && this.timeoutSeconds !== null && { timeout: this.timeoutSeconds }),
        runs: this.runs.map(([outcome, takes]) => ({ outcome, takes })),
      }),
    );
    model.ids.push(id);
    // Created and started at once (the orchestration is ready); once and continuous start a run now.
    expect(real.engine.tasks.get(id)?.task.status).toBe("started");
    expect(real.engine.tasks.get(id)?.runs.length).toBe(this.type === "scheduled" ? 0 : 1);
    checkStep(real, model);
  }

  toString(): string {
    return `create(${this.type}, ${this.schedule}, ${JSON.stringify(this.runs)}, ${this.timeoutSeconds})`;
  }
}
