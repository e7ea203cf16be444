import { type DeadLetter, type DeadLetterHook, setCondition } from "@phasekit/core";
import { Cause, Effect, Exit } from "effect";
import type { MemoryCluster } from "../cluster.js";
import type { Prng } from "../prng.js";
import { batchingExact } from "./batches.js";
import type { StepWrite } from "./cluster-player.js";
import type { Scenario } from "./scenario.js";
import { execOrThrow, type Steps } from "./steps.js";

/**
 * Small pure parts of the simulation loop (`simulation.ts`): how a command's refusal reads in the
 * notes, the hooks every service is started with, a seeded shuffle of the round's services, and
 * when step finishes may share a settle.
 *
 * @module
 */

/**
 * How a command ended, as the notes show it: null when it was accepted, else the refusal's code
 * (CommandRefused carries one: Terminal, NotFound, DependencyDeleted...) or the error's tag, and its
 * message.
 *
 * @example
 * ```ts
 * refusalOf(Exit.succeed(undefined)); // null
 * ```
 */
export function refusalOf(exit: Exit.Exit<unknown, unknown>): string | null {
  if (Exit.isSuccess(exit)) return null;
  const error = Cause.squash(exit.cause) as { _tag?: string; code?: string; message?: string };
  return `${error.code ?? error._tag ?? "Error"}: ${error.message ?? String(error)}`;
}

/**
 * The hooks a simulated service is started with: a dead letter becomes a line for the run's errors
 * (after `also`, the backend's own hook, when there is one); a rejection is counted.
 *
 * @example
 * ```ts
 * const hooks = serviceHooks({ onError: (line) => errors.push(line), onRejected: () => rejections++ });
 * ```
 */
export function serviceHooks(options: {
  readonly onError: (line: string) => void;
  readonly onRejected: () => void;
  readonly also?: DeadLetterHook | undefined;
}) {
  const { onError, onRejected, also } = options;
  return {
    onDeadLetter: (l: DeadLetter) => {
      const noted = Effect.sync(() => onError(`${l.consumer} dead-lettered ${l.key}: ${l.error.message}`));
      return also ? Effect.andThen(also(l), noted) : noted;
    },
    onRejected: () => Effect.sync(onRejected),
  };
}

/**
 * `items` shuffled in place by Fisher-Yates with draws from `prng`, and returned.
 *
 * @example
 * ```ts
 * shuffled(["aggregator", "sink"], makePrng(1));
 * ```
 */
export function shuffled<T>(items: T[], prng: Prng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Whether the step finishes due at one instant may settle once instead of one by one (`batchFinishes`)
 * and end as one by one: the same final statuses, each account's admissions in the same order and at
 * the same instants, every entity's history (finishes.test.ts holds it to that). A finish frees
 * quota and room; settled together, the orchestrator admits from each account's head what the freed
 * quota holds, as it would one finish after the other, when
 * - no resource needs another: a finish that satisfies a dependency releases waiting work, and two
 *   released at one instant would queue in another order (fast-check found it, seed 742697062);
 * - the scenario declares no nodes (room for everything, as in Kueue's test): freed room on nodes
 *   would be handed to pending steps once instead of after each finish, by first fit in another
 *   order (fast-check found a step that ran a second later, seed 1315591649);
 * - the faults leave batching exact (`batchingExact`: no delivery fault, no informer lag).
 *
 * @example
 * ```ts
 * finishesBatchable(kueueLike, kueueLike.faults); // true: no dependencies, no faults
 * ```
 */
export const finishesBatchable = (scenario: Scenario, faults: Scenario["faults"]): boolean =>
  batchingExact(faults) &&
  scenario.cluster?.nodes === undefined &&
  scenario.resources.every((r) => r.needs.length === 0);

/**
 * Writes the condition a step's finish sets on its cluster object, when there is one (a finish
 * that is not stale) and the object is still there.
 *
 * @example
 * ```ts
 * yield* finishWrite(backend.cluster, player.finish(key, generation, now));
 * ```
 */
export function* finishWrite(cluster: MemoryCluster, write: StepWrite | undefined): Steps<void> {
  const object = write && cluster.get(write.kind, write.name);
  if (!write || !object) return;
  const conditions = setCondition(object.conditions, write.condition);
  yield* execOrThrow(
    cluster.port.writeConditions(write.kind, write.name, object.resourceVersion, conditions),
  );
}
