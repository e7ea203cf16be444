import { KafkaDeadLetters, layerKafka } from "@phasekit/adapter-kafka";
import { AsyncSimulation, type SimulationBackend, type SimulationSetup } from "@phasekit/adapter-memory";
import { consumerGroups, EventLog, KeyValue, StateLog } from "@phasekit/core";
import { Cause, Context, Effect, Exit, Layer, Option, Scope } from "effect";
import type { Backend } from "./backend.js";
import { LogTracker } from "./kafka/tracked-log.js";

/**
 * The scenario simulator over a backend: the one simulation loop of `@phasekit/adapter-memory`
 * (agenda, simulated cluster and clock, command API, services, timeline, checks), run
 * asynchronously with the ports the backend puts elsewhere. With `kafka`, the event log and the
 * state log are real topics: the control plane has settled when two rounds in a row do nothing AND
 * every consumer group has committed past every record appended (an empty poll on a broker proves
 * nothing), and the crash-before-commit fault is real (the service's scope closes without
 * committing and Kafka gives the records again). With `stores.kv`, the key-value store is on etcd.
 * The cluster and the view stay the simulator's: its cluster player runs the work on the one and
 * its timeline reads the other.
 *
 * @module
 */

/** An open simulation over a backend, and what it opened. */
export interface BackendSimulation {
  readonly simulation: AsyncSimulation;
  /** With `kafka`: what was appended, committed and delivered again. */
  readonly tracker: LogTracker;
  /** The event log, state log and key-value store the services ran over (to read them back after a run). */
  readonly logs: Context.Context<EventLog | StateLog | KeyValue>;
  /** Stops the services and closes every connection. */
  readonly close: () => Promise<void>;
}

/** A backend part that a simulation cannot put elsewhere; the message names it and why. */
export class SimulationBackendError extends Error {
  override readonly name = "SimulationBackendError";
}

/**
 * Opens a simulation of `setup` over `backend` and starts its services.
 *
 * @example
 * ```ts
 * const { simulation, close } = await openSimulation(setup, { kafka: { brokers: ["127.0.0.1:19092"], prefix: "sim-1" } });
 * await simulation.advanceTo(60_000);
 * await close();
 * ```
 */
export async function openSimulation(setup: SimulationSetup, backend: Backend): Promise<BackendSimulation> {
  if (backend.cluster !== undefined)
    throw new SimulationBackendError(
      `cluster: got ${backend.cluster.where}, expected the simulator's own (its cluster player runs the work)`,
    );
  if (backend.stores?.view !== undefined)
    throw new SimulationBackendError(
      `view: got ${backend.stores.view.where}, expected the simulator's own (its timeline reads the view)`,
    );
  const scope = Effect.runSync(Scope.make());
  const layer = Layer.mergeAll(
    backend.kafka ? layerKafka(backend.kafka) : Layer.empty,
    backend.stores?.kv?.layer ?? Layer.empty,
  );
  const built = await Effect.runPromiseExit(Layer.buildWithScope(layer, scope));
  if (Exit.isFailure(built)) {
    await Effect.runPromise(Scope.close(scope, Exit.void));
    throw Cause.squash(built.cause);
  }
  // biome-ignore lint/suspicious/noExplicitAny: a context holding the parts this backend put elsewhere, any of them
  const ports = built.value as Context.Context<any>;
  const tracker = new LogTracker();
  const events = Option.getOrUndefined(Context.getOption(ports, EventLog));
  const state = Option.getOrUndefined(Context.getOption(ports, StateLog));
  const over: { -readonly [K in keyof SimulationBackend]: SimulationBackend[K] } = {
    events: events && tracker.track(events),
    state: state && tracker.track(state),
    keyValue: Option.getOrUndefined(Context.getOption(ports, KeyValue)),
  };
  const dlq = Context.getOption(ports, KafkaDeadLetters);
  if (dlq._tag === "Some" && over.events && over.state) {
    const topics = { events: over.events.name, state: over.state.name };
    const groups = new Map(Object.values(consumerGroups).map((c) => [c.group as string, topics[c.log]]));
    over.quiet = () => tracker.caughtUp(groups);
    over.quietRounds = 2;
    over.onDeadLetter = dlq.value.hook;
  }
  let simulation: AsyncSimulation;
  try {
    simulation = await AsyncSimulation.open(setup, over);
  } catch (error) {
    await Effect.runPromise(Scope.close(scope, Exit.void));
    throw error;
  }
  const logs = Context.make(EventLog, over.events ?? simulation.simulation.backend.events.port).pipe(
    Context.add(StateLog, over.state ?? simulation.simulation.backend.state.port),
    Context.add(KeyValue, over.keyValue ?? simulation.simulation.backend.keyValue.port),
  );
  return {
    simulation,
    tracker,
    logs,
    close: async () => {
      await simulation.close();
      await Effect.runPromise(Scope.close(scope, Exit.void));
    },
  };
}
