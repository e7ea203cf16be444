import type fc from "fast-check";
import { expect } from "vitest";
import type { ScenarioKind } from "../scenario.js";
import { needRules } from "../scenario-checks.js";
import { accounts, both, checkStep, lastNote, type Model, type Real, tokenOf } from "./model.js";

/**
 * Creates a resource of `kind` for one account, needing resources already asked for (chosen by
 * index among those of the right kind). It applies only once every dependency it must have was
 * asked for, unless `ghost`: then a missing one is named `ghost`, which never comes, so the resource
 * waits forever. A Dataset is reported uploaded right away when `upload`. Both runs must accept or
 * refuse it alike.
 */
export class CreateCommand implements fc.Command<Model, Real> {
  constructor(
    readonly kind: ScenarioKind,
    readonly account: number,
    readonly needs: readonly number[],
    readonly gpu: number,
    readonly takes: number,
    readonly ghost: boolean,
    readonly upload: boolean,
  ) {}

  check(model: Model): boolean {
    return (
      this.ghost ||
      needRules[this.kind].every((rule) => rule.optional || model.resources.some((r) => r.kind === rule.kind))
    );
  }

  run(model: Model, real: Real): void {
    const id = `${this.kind.toLowerCase()}${model.resources.length}`;
    const account = accounts[this.account % accounts.length]!;
    const needs: Partial<Record<ScenarioKind, string>> = {};
    needRules[this.kind].forEach((rule, i) => {
      const candidates = model.resources.filter((r) => r.kind === rule.kind);
      if (candidates.length > 0) needs[rule.kind] = candidates[(this.needs[i] ?? 0) % candidates.length]!.id;
      else if (!rule.optional) needs[rule.kind] = "ghost";
    });
    const resource = { kind: this.kind, id, account, needs, gpu: this.gpu, takes: this.takes * 1000 };
    both(real, (sim) => sim.create(resource, tokenOf(account)));
    if (this.kind === "Dataset" && this.upload) both(real, (sim) => sim.uploaded(id, tokenOf(account)));
    model.resources.push({ id, kind: this.kind, account });
    expect(lastNote(real.faulty)).toEqual(lastNote(real.clean));
    checkStep(real);
  }

  toString(): string {
    const flags = `${this.ghost ? ", ghost" : ""}${this.upload ? ", upload" : ""}`;
    return `create(${this.kind}, account ${this.account}, needs [${this.needs.join(", ")}], gpu ${this.gpu}, takes ${this.takes}s${flags})`;
  }
}
