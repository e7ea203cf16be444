import {
  ClusterError,
  type ClusterShape,
  KeyValueError,
  type KeyValueShape,
  LogError,
  type LogShape,
} from "@phasekit/core";
import { Effect } from "effect";

/**
 * The crash-before-commit fault. A service is made to die at the moment it would make its work
 * durable: a consumer's offset commit, a compare-and-set in the key-value store (the orchestrator's
 * admission record, the informer's memory), or a create on the cluster after the admission record.
 * Everything it did before stays done; the simulator then restarts the service, which must redo
 * what was not committed without doing anything twice.
 *
 * @module
 */

const marker = "simulated crash before commit";
/** The cause of the LogError a crashing consumer's commit fails with. */
const crashCause: unique symbol = Symbol(marker);

/**
 * True when `error` is a crash injected here, not a real failure.
 *
 * @example
 * ```ts
 * const exit = Effect.runSyncExit(service.runOnce(now));
 * if (Exit.isFailure(exit) && isSimulatedCrash(Cause.squash(exit.cause))) restart();
 * ```
 */
export function isSimulatedCrash(error: unknown): boolean {
  if (error instanceof LogError) return error.cause === crashCause;
  if (error instanceof KeyValueError || error instanceof ClusterError)
    return error.message.startsWith(marker);
  return false;
}

/** A log whose consumers crash when they commit, when `crash()` says so. */
export function crashingLog<M>(port: LogShape<M>, crash: () => boolean): LogShape<M> {
  return {
    ...port,
    consumer: (group) =>
      Effect.map(port.consumer(group), (consumer) => ({
        poll: consumer.poll,
        commit: (records) =>
          Effect.suspend(() =>
            records.length > 0 && crash()
              ? Effect.fail(
                  new LogError({
                    log: port.name,
                    operation: "commit",
                    message: `${marker}: ${group} handled ${records.length} record(s) but did not commit them`,
                    cause: crashCause,
                  }),
                )
              : consumer.commit(records),
          ),
      })),
  };
}

/** A key-value store whose compare-and-set crashes (before writing) when `crash()` says so. */
export function crashingKeyValue(port: KeyValueShape, crash: () => boolean): KeyValueShape {
  return {
    ...port,
    compareAndSet: (key, expected, value) =>
      Effect.suspend(() =>
        crash()
          ? Effect.fail(
              new KeyValueError({
                operation: "compareAndSet",
                key,
                message: `${marker}: ${key} not written`,
              }),
            )
          : port.compareAndSet(key, expected, value),
      ),
  };
}

/** A cluster whose creates crash (before creating) when `crash()` says so. */
export function crashingCluster(port: ClusterShape, crash: () => boolean): ClusterShape {
  return {
    ...port,
    create: (object) =>
      Effect.suspend(() =>
        crash()
          ? Effect.fail(
              new ClusterError({
                operation: "create",
                kind: object.kind,
                name: object.name,
                code: "Unavailable",
                message: `${marker}: ${object.kind} ${object.name} not created`,
              }),
            )
          : port.create(object),
      ),
  };
}
