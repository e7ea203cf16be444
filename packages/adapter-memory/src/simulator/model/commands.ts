import { type ConsumingService, consumerGroups } from "@phasekit/core";
import fc from "fast-check";
import { scenarioKinds } from "../scenario.js";
import { AdvanceCommand } from "./advance.js";
import { CompactCommand } from "./compact.js";
import { CrashConsumersCommand } from "./crash-consumers.js";
import { CreateCommand } from "./create.js";
import { DeleteCommand } from "./delete.js";
import { FailWorkCommand } from "./fail-work.js";
import { LabelCommand } from "./label.js";
import type { Model, Real } from "./model.js";
import { TerminateCommand } from "./terminate.js";
import { UploadCommand } from "./upload.js";

/**
 * Every command of the model-based test, weighted so that runs create a few resources, let time
 * pass often enough for work to finish, and sprinkle terminations, deletions, failures and faults.
 */
const create = fc
  .tuple(
    fc.constantFrom(...scenarioKinds),
    fc.nat(5),
    fc.array(fc.nat(5), { minLength: 2, maxLength: 2 }),
    fc.nat(2),
    fc.integer({ min: 5, max: 300 }),
    fc.nat(9).map((n) => n === 0),
    fc.boolean(),
  )
  .map(
    ([kind, account, needs, gpu, takes, ghost, upload]) =>
      new CreateCommand(kind, account, needs, gpu, takes, ghost, upload),
  );
const advance = fc
  .tuple(fc.integer({ min: 1, max: 900 }), fc.boolean())
  .map(([s, next]) => new AdvanceCommand(s, next));

/** Creates and advances are listed several times: `fc.commands` picks among the entries evenly. */
export const pipelineCommands: fc.Arbitrary<fc.Command<Model, Real>>[] = [
  create,
  create,
  create,
  create,
  advance,
  advance,
  advance,
  fc.tuple(fc.nat(20), fc.boolean()).map(([target, foreign]) => new TerminateCommand(target, foreign)),
  fc.nat(20).map((target) => new DeleteCommand(target)),
  fc
    .tuple(fc.nat(20), fc.constantFrom("team", "stage"), fc.option(fc.constantFrom("a", "b"), { nil: null }))
    .map(([target, key, value]) => new LabelCommand(target, key, value)),
  fc.nat(20).map((target) => new UploadCommand(target)),
  fc.tuple(fc.nat(20), fc.nat(1)).map(([target, reason]) => new FailWorkCommand(target, reason)),
  fc
    .constantFrom(...(Object.keys(consumerGroups) as ConsumingService[]))
    .map((service) => new CrashConsumersCommand(service)),
  fc.constant(new CompactCommand()),
];
