import type fc from "fast-check";
import { expect } from "vitest";
import {
  accounts,
  both,
  checkStep,
  lastNote,
  type Model,
  pick,
  type Real,
  tokenOf,
  viewStatus,
} from "./model.js";

const terminal = /^(Ready|Complete|Failed|Error|Terminated|Deleted)/;

/**
 * Terminates a resource, as its owner or (`foreign`) with another account's token. The owner's
 * terminate of unfinished work ends it Terminated/TerminateCommand; of finished work it is refused;
 * a foreign token is refused as Unauthorized and changes nothing.
 */
export class TerminateCommand implements fc.Command<Model, Real> {
  constructor(
    readonly target: number,
    readonly foreign: boolean,
  ) {}

  check(model: Model): boolean {
    return model.resources.length > 0;
  }

  run(model: Model, real: Real): void {
    const r = pick(model, this.target)!;
    const owner = accounts.indexOf(r.account as (typeof accounts)[number]);
    const token = tokenOf(this.foreign ? accounts[(owner + 1) % accounts.length]! : r.account);
    const before = viewStatus(real.faulty, r.id);
    both(real, (sim) => sim.terminate(r.id, token));
    const note = lastNote(real.faulty);
    expect(note).toEqual(lastNote(real.clean));
    if (before === undefined) expect(note).toMatchObject({ refused: expect.stringContaining("NotFound: ") });
    else if (this.foreign) {
      expect(note).toMatchObject({ refused: expect.stringContaining("Unauthorized: ") });
      expect(viewStatus(real.faulty, r.id)).toBe(before);
    } else if (terminal.test(before))
      expect(note).toMatchObject({ refused: expect.stringContaining("Terminal: ") });
    else expect(viewStatus(real.faulty, r.id)).toBe("Terminated/TerminateCommand");
    checkStep(real);
  }

  toString(): string {
    return `terminate(${this.target}${this.foreign ? ", foreign token" : ""})`;
  }
}
