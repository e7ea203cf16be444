import fc from "fast-check";
import { AdvanceCommand } from "./advance.js";
import { CancelCommand } from "./cancel.js";
import type { Model, Real } from "./model.js";
import { RestartClusterCommand } from "./restart-cluster.js";
import { ResumeCommand } from "./resume.js";
import { RunCommand } from "./run.js";

/** Every command of the Ray model-based test; runs and advances (twice each) come up most. */
const run = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 120 }), fc.nat(3), fc.constantFrom(0, 1, 3, -1)), {
    minLength: 1,
    maxLength: 4,
  })
  .map((steps) => new RunCommand(steps));
const advance = fc.integer({ min: 1, max: 600 }).map((s) => new AdvanceCommand(s));

export const rayCommands: fc.Arbitrary<fc.Command<Model, Real>>[] = [
  run,
  run,
  advance,
  advance,
  fc.nat(20).map((t) => new ResumeCommand(t)),
  fc.nat(20).map((t) => new CancelCommand(t)),
  fc.constant(new RestartClusterCommand()),
];
