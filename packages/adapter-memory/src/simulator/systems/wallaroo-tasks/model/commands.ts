import fc from "fast-check";
import { AdvanceCommand } from "./advance.js";
import { CreateCommand, type RunScript } from "./create.js";
import { KillCommand } from "./kill.js";
import type { Model, Real } from "./model.js";

/** Every command of the Wallaroo tasks model-based test; creates and advances come up most. */
const script: fc.Arbitrary<RunScript> = fc.tuple(
  fc.constantFrom("success" as const, "failure" as const, "hang" as const),
  fc.integer({ min: 1, max: 900 }),
);
const create = fc
  .tuple(
    fc.constantFrom("once" as const, "scheduled" as const, "continuous" as const),
    fc.constantFrom("*/5 * * * *", "0 * * * *", "* * * * *", "7,37 * * * *"),
    fc.array(script, { minLength: 1, maxLength: 3 }),
    fc.option(fc.integer({ min: 1, max: 1200 }), { nil: null }),
  )
  .map(([type, schedule, runs, timeout]) => new CreateCommand(type, schedule, runs, timeout));
const advance = fc.integer({ min: 1, max: 1800 }).map((s) => new AdvanceCommand(s));

export const wallarooTaskCommands: fc.Arbitrary<fc.Command<Model, Real>>[] = [
  create,
  create,
  advance,
  advance,
  fc.tuple(fc.nat(20), fc.integer({ min: 0, max: 60 })).map(([t, takes]) => new KillCommand(t, takes)),
];
