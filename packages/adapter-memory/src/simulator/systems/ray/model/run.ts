import type fc from "fast-check";
import { expect } from "vitest";
import { rayWorkflow } from "../scenario.js";
import { checkStep, type Model, type Real, status } from "./model.js";

/**
 * Runs a workflow now: its steps (seconds each execution takes, how many executions raise, and
 * max_retries). It runs, waits, or is refused when the queue is full.
 */
export class RunCommand implements fc.Command<Model, Real> {
  constructor(readonly steps: readonly (readonly [seconds: number, raises: number, maxRetries: number])[]) {}

  check(): boolean {
    return true;
  }

  run(model: Model, real: Real): void {
    const id = `w${model.ids.length}`;
    const { running, pending, limits } = real.engine.state.queue;
    const spec = rayWorkflow.parse({
      system: "ray",
      kind: "Workflow",
      id,
      steps: this.steps.map(([s, raises, max], k) => ({
        name: `s${k % 2}`,
        takes: s,
        raises,
        options: { max_retries: max },
      })),
    });
    real.engine.run(spec);
    model.ids.push(id);
    const free = limits.maxRunning === -1 || running.length < limits.maxRunning;
    const room = limits.maxPending === -1 || pending.length < limits.maxPending;
    const expected = free ? ["RUNNING", "SUCCESSFUL", "FAILED"] : room ? ["PENDING"] : [undefined];
    expect(expected).toContain(status(real.engine, id));
    checkStep(real, model);
  }

  toString(): string {
    return `run([${this.steps.map((s) => `[${s.join(",")}]`).join(",")}])`;
  }
}
