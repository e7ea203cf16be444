import type fc from "fast-check";
import { expect } from "vitest";
import { runaiJob } from "../scenario.js";
import { checkStep, type Model, projects, type Real, shown } from "./model.js";

const kinds = ["TrainingJob", "InteractiveJob", "DistributedJob"] as const;

/**
 * Submits a job now: its kind, project, GPUs, the exit codes of its runs (each lasting `minutes`),
 * and its kind's options. A new job first shows Pending (it may be placed at once).
 */
export class SubmitCommand implements fc.Command<Model, Real> {
  constructor(
    readonly kind: number,
    readonly project: number,
    readonly gpu: number,
    readonly exits: readonly number[],
    readonly minutes: number,
    readonly preemptible: boolean,
    readonly backoffLimit: number,
    readonly pullFailures: number,
  ) {}

  check(): boolean {
    return true;
  }

  run(model: Model, real: Real): void {
    const id = `j${model.jobs.length}`;
    const kind = kinds[this.kind % kinds.length]!;
    const spec = runaiJob.parse({
      system: "runai",
      kind,
      id,
      project: projects[this.project % projects.length],
      gpu: this.gpu,
      pullFailures: this.pullFailures,
      attempts: [...this.exits.map((exit) => ({ runs: `${this.minutes}m`, exit })), {}],
      ...(kind === "InteractiveJob"
        ? { preemptible: this.preemptible }
        : { backoffLimit: this.backoffLimit }),
      ...(kind === "DistributedJob" && { workers: 2 }),
    });
    real.engine.submit(spec);
    model.jobs.push({ id, kind });
    expect(real.engine.timeline.find((e) => e.id === id)?.status).toBe("Pending");
    expect(shown(real.engine, id)).toBeDefined();
    checkStep(real);
  }

  toString(): string {
    return `submit(${[this.kind, this.project, this.gpu, `[${this.exits.join(",")}]`, this.minutes, this.preemptible, this.backoffLimit, this.pullFailures].join(", ")})`;
  }
}
