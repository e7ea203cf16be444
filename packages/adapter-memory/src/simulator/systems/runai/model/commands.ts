import fc from "fast-check";
import { AdvanceCommand } from "./advance.js";
import { DeleteCommand } from "./delete.js";
import type { Model, Real } from "./model.js";
import { SchedulerDownCommand } from "./scheduler-down.js";
import { SubmitCommand } from "./submit.js";

/** Every command of the Run:ai model-based test; submits (three times) and advances (twice) come up most. */
const submit = fc
  .tuple(
    fc.nat(2),
    fc.nat(2),
    fc.nat(3),
    fc.array(fc.constantFrom(0, 1, 2, 137), { maxLength: 3 }),
    fc.integer({ min: 1, max: 20 }),
    fc.boolean(),
    fc.nat(3),
    fc.constantFrom(0, 0, 1, 3),
  )
  .map((a) => new SubmitCommand(...a));
const advance = fc.integer({ min: 1, max: 1800 }).map((s) => new AdvanceCommand(s));

export const runaiCommands: fc.Arbitrary<fc.Command<Model, Real>>[] = [
  submit,
  submit,
  submit,
  advance,
  advance,
  fc.nat(20).map((t) => new DeleteCommand(t)),
  fc.integer({ min: 1, max: 900 }).map((s) => new SchedulerDownCommand(s)),
];
