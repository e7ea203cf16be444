import { type KafkaConfigInput, KafkaDeadLetters, layerKafka } from "@phasekit/adapter-kafka";
import type { Finish } from "@phasekit/adapter-memory";
import {
  Agenda,
  ClusterPlayer,
  crashingCluster,
  crashingKeyValue,
  crashingLog,
  createRequestOf,
  defaultTakes,
  isSimulatedCrash,
  type MemoryBackendShape,
  makeMemoryBackend,
  makePrng,
  makeRecorder,
  type NodeCapacity,
  type Note,
  QuotaLedger,
  type QuotaLimits,
  type Recorder,
  type ResourceToCreate,
  recordingCluster,
  recordingStateLog,
  simulatedTime,
  stepDuration,
  type TimelineEntry,
  ViewWatcher,
} from "@phasekit/adapter-memory";
import {
  Authorizer,
  Cluster,
  createEntity,
  deleteEntity,
  EventLog,
  editEntityLabels,
  KeyValue,
  markEntityUploaded,
  type Quotas,
  StateLog,
  setCondition,
  stepKinds,
  terminateEntity,
  type ViewDocument,
  ViewStore,
} from "@phasekit/core";
import { Cause, Context, Effect, Exit, Layer, Scope } from "effect";
import type { ServedPorts } from "./ports.js";
import {
  type ControlPlaneService,
  consumerGroups,
  controlPlaneServices,
  type StartedService,
  startControlPlaneService,
} from "./services.js";
import { LogTracker } from "./tracked-log.js";

/**
 * The scenario simulator's engine with the event log and the state log on a real Kafka: the same
 * agenda, simulated cluster and clock, command API and services as the in-memory simulator, run
 * asynchronously. The control plane has settled when a round does nothing AND every consumer group
 * has committed past every record appended (an empty poll on a broker proves nothing). The
 * crash-before-commit fault is real here: the service's scope closes without committing and Kafka
 * gives the records again. The key-value store, cluster and view stay in memory, and what the
 * simulator does around the services follows what changed, as in memory: the timeline from the
 * view's accepted upserts, the quota check from a ledger, the cluster player from the change feed.
 *
 * @module
 */

export interface KafkaSimulationSetup {
  readonly seed: number;
  readonly accounts: Readonly<
    Record<
      string,
      { readonly quota: QuotaLimits; readonly tokens: readonly { token: string; verbs: readonly string[] }[] }
    >
  >;
  readonly nodes?: readonly NodeCapacity[] | undefined;
  readonly crashBeforeCommit: number;
  readonly kafka: KafkaConfigInput;
}

type Action =
  | { readonly type: "run"; readonly run: () => Promise<void> }
  | { readonly type: "finish"; readonly finish: Finish };

/** Rounds one settle may take before the control plane counts as livelocked. */
const maxRounds = 2000;
const terminal = ["Ready", "Complete", "Failed", "Error", "Terminated", "Deleted"];

export class KafkaSimulation {
  readonly timeline: TimelineEntry[] = [];
  readonly notes: Note[] = [];
  readonly journal: (TimelineEntry | Note)[] = [];
  readonly breaches: string[] = [];
  readonly errors: string[] = [];
  readonly stats = { rounds: 0, crashes: 0, rejections: 0 };
  now = 0;
  private readonly agenda = new Agenda<Action>();
  private readonly watcher = new ViewWatcher();
  private readonly services = new Map<
    ControlPlaneService,
    { scope: Scope.Closeable; service: StartedService }
  >();
  private readonly takes = new Map<string, number>();
  private readonly notedPending = new Set<string>();
  /** The view's upserts since the watcher last looked, in order. */
  private readonly accepted: ViewDocument[] = [];
  /** Where the cluster player's look at the cluster's change feed left off. */
  private stepsCursor: string | null = null;

  private constructor(
    readonly setup: KafkaSimulationSetup,
    readonly backend: MemoryBackendShape,
    readonly recorder: Recorder,
    readonly tracker: LogTracker,
    private readonly context: Context.Context<ServedPorts>,
    private readonly scope: Scope.Closeable,
    private readonly player: ClusterPlayer,
    private readonly quotas: Quotas,
    /** Consumer group -> the topic it reads. */
    private readonly groups: ReadonlyMap<string, string>,
    private readonly ledger: QuotaLedger,
  ) {
    backend.view.onAccepted((document) => void this.accepted.push(document));
  }

  /** Connects, creates the topics and starts the five services. */
  static async open(setup: KafkaSimulationSetup): Promise<KafkaSimulation> {
    const tokens: Record<string, { account: string; verbs: never[] }> = {};
    for (const [account, a] of Object.entries(setup.accounts))
      for (const t of a.tokens) tokens[t.token] = { account, verbs: t.verbs as never[] };
    const backend = makeMemoryBackend({ seed: setup.seed, tokens });
    const scope = Effect.runSync(Scope.make());
    const kafka = await Effect.runPromise(Layer.buildWithScope(layerKafka(setup.kafka), scope));
    const crashes = makePrng(setup.seed).fork("simulator").fork("crash");
    const crash = () => crashes.chance(setup.crashBeforeCommit);
    const crashy = setup.crashBeforeCommit > 0;
    const quotas: Record<string, Quotas[string]> = {};
    for (const [account, { quota }] of Object.entries(setup.accounts))
      quotas[account] = {
        ...(quota.gpu !== undefined && { gpu: quota.gpu }),
        ...(quota.cpu !== undefined && { cpu: quota.cpu }),
        ...(quota.memoryGiB !== undefined && { memoryGiB: quota.memoryGiB }),
        ...(quota.slots !== undefined && { slots: quota.slots }),
      };
    const player = new ClusterPlayer(setup.nodes, (kind, id, role) =>
      stepDuration(kind, role, sim.takes.get(id) ?? defaultTakes),
    );
    const ledger = new QuotaLedger(
      Object.fromEntries(Object.entries(setup.accounts).map(([a, v]) => [a, v.quota])),
    );
    const recorder = makeRecorder(ledger);
    const tracker = new LogTracker();
    const events = tracker.track(Context.get(kafka, EventLog));
    const state = recordingStateLog(tracker.track(Context.get(kafka, StateLog)), recorder);
    const cluster = recordingCluster(backend.cluster.port, recorder);
    const context = Context.make(EventLog, crashy ? crashingLog(events, crash) : events).pipe(
      Context.add(StateLog, crashy ? crashingLog(state, crash) : state),
      Context.add(KeyValue, crashy ? crashingKeyValue(backend.keyValue.port, crash) : backend.keyValue.port),
      Context.add(Cluster, crashy ? crashingCluster(cluster, crash) : cluster),
      Context.add(ViewStore, backend.view.port),
      Context.add(Authorizer, backend.authorizer.port),
      Context.add(KafkaDeadLetters, Context.get(kafka, KafkaDeadLetters)),
    );
    const topics = { events: events.name, state: state.name };
    const groups = new Map(Object.values(consumerGroups).map((c) => [c.group as string, topics[c.log]]));
    const sim: KafkaSimulation = new KafkaSimulation(
      setup,
      backend,
      recorder,
      tracker,
      context,
      scope,
      player,
      quotas,
      groups,
      ledger,
    );
    for (const name of controlPlaneServices) await sim.start(name);
    return sim;
  }

  /** Stops every service and closes the Kafka connections. */
  async close(): Promise<void> {
    for (const { scope } of this.services.values()) await Effect.runPromise(Scope.close(scope, Exit.void));
    await Effect.runPromise(Scope.close(this.scope, Exit.void));
  }

  /** The ports the services run on (the logs on Kafka). */
  get ports(): Context.Context<ServedPorts> {
    return this.context;
  }

  get t(): number {
    return this.now / 1000;
  }

  schedule(at: number, run: () => Promise<void>): void {
    this.agenda.schedule(Math.max(at, this.now), { type: "run", run });
  }

  nextDue(): number | undefined {
    this.agenda.dropWhile(
      (a) => a.type === "finish" && this.player.isStale(a.finish.key, a.finish.generation),
    );
    return this.agenda.next();
  }

  async advanceTo(until: number, onInstant?: (now: number) => void): Promise<void> {
    for (let at = this.agenda.next(); at !== undefined && at <= until; at = this.agenda.next()) {
      this.now = Math.max(this.now, at);
      onInstant?.(this.now);
      for (const action of this.agenda.takeDue(at)) await this.perform(action);
    }
    this.now = Math.max(this.now, until);
  }

  create(resource: ResourceToCreate, token: string): Promise<void> {
    if (resource.takes !== undefined) this.takes.set(resource.id, resource.takes);
    return this.command(
      "create",
      resource.id,
      createEntity(token, createRequestOf(resource), simulatedTime(this.now)),
    );
  }
  uploaded(id: string, token: string): Promise<void> {
    return this.command("uploaded", id, markEntityUploaded(token, id, simulatedTime(this.now)));
  }
  terminate(id: string, token: string): Promise<void> {
    return this.command("terminate", id, terminateEntity(token, id, simulatedTime(this.now)));
  }
  delete(id: string, token: string): Promise<void> {
    return this.command("delete", id, deleteEntity(token, id, simulatedTime(this.now)));
  }
  label(id: string, labels: Readonly<Record<string, string | null>>, token: string): Promise<void> {
    return this.command("label", id, editEntityLabels(token, id, labels, simulatedTime(this.now)));
  }

  async fail(id: string, reason: string): Promise<void> {
    const doc = this.backend.view.document(id);
    const entity = doc && (JSON.parse(doc.value) as { kind: string; status: string });
    const { effect, finishes } =
      entity && !terminal.includes(entity.status)
        ? this.player.fail(this.now, entity.kind, id, reason)
        : { effect: "late" as const, finishes: [] };
    this.note({ t: this.t, type: "fail", id, reason, effect });
    this.scheduleFinishes(finishes);
    await this.settle();
  }

  /** Rounds until one does nothing and every group has committed everything; then the cluster moves. */
  async settle(): Promise<void> {
    let idle = 0;
    for (let round = 0; idle < 2; round++) {
      if (round >= maxRounds) {
        this.errors.push(`t=${this.t}s: the control plane was still busy after ${maxRounds} rounds`);
        break;
      }
      this.stats.rounds++;
      let work = 0;
      for (const name of controlPlaneServices) work += await this.runService(name);
      idle = work === 0 && this.tracker.caughtUp(this.groups) ? idle + 1 : 0;
    }
    const changes = this.backend.cluster.changesNow(stepKinds, this.stepsCursor);
    this.stepsCursor = changes.cursor;
    this.scheduleFinishes(this.player.syncChanges(this.now, changes));
    // A step still waiting from an earlier settle was noted then: only the last sync's can be new.
    for (const step of this.player.noRoomAtLastSync()) {
      if (this.notedPending.has(step)) continue;
      this.notedPending.add(step);
      this.note({ t: this.t, type: "pending", step });
    }
  }

  private note(note: Note): void {
    this.notes.push(note);
    this.journal.push(note);
  }

  private async perform(action: Action): Promise<void> {
    if (action.type === "run") return action.run();
    const write = this.player.finish(action.finish.key, action.finish.generation, simulatedTime(this.now));
    const object = write && this.backend.cluster.get(write.kind, write.name);
    if (write && object) {
      const conditions = setCondition(object.conditions, write.condition);
      await Effect.runPromise(
        this.backend.cluster.port.writeConditions(write.kind, write.name, object.resourceVersion, conditions),
      );
    }
    await this.settle();
  }

  private async command(
    command: "create" | "terminate" | "delete" | "label" | "uploaded",
    id: string,
    effect: Effect.Effect<unknown, unknown, ServedPorts>,
  ): Promise<void> {
    const exit = await Effect.runPromiseExit(Effect.provideContext(effect, this.context));
    const error = Exit.isFailure(exit)
      ? (Cause.squash(exit.cause) as { _tag?: string; code?: string; message?: string })
      : undefined;
    const refused = error
      ? `${error.code ?? error._tag ?? "Error"}: ${error.message ?? String(error)}`
      : null;
    this.note({ t: this.t, type: "command", command, id, refused });
    await this.settle();
  }

  private scheduleFinishes(finishes: readonly Finish[]): void {
    for (const finish of finishes) this.agenda.schedule(finish.at, { type: "finish", finish });
  }

  private async start(name: ControlPlaneService): Promise<void> {
    const scope = Effect.runSync(Scope.make());
    const dlq = Context.get(this.context, KafkaDeadLetters);
    const started = startControlPlaneService(name, {
      quotas: this.quotas,
      onDeadLetter: (l) =>
        Effect.andThen(
          dlq.hook(l),
          Effect.sync(
            () =>
              void this.errors.push(`t=${this.t}s: ${l.consumer} dead-lettered ${l.key}: ${l.error.message}`),
          ),
        ),
      onRejected: () => Effect.sync(() => void this.stats.rejections++),
      ...(name === "sink" && { everyVersion: true }), // the view passes through every version, as in memory
    }).pipe(Scope.provide(scope), Effect.provideContext(this.context));
    this.services.set(name, { scope, service: await Effect.runPromise(started) });
  }

  /** One runOnce; a failure (an injected crash or not) closes the service's scope and starts it again. */
  private async runService(name: ControlPlaneService): Promise<number> {
    const entry = this.services.get(name)!;
    const exit = await Effect.runPromiseExit(entry.service.runOnce(simulatedTime(this.now)));
    if (Exit.isSuccess(exit)) {
      if (exit.value > 0) this.afterWork(name);
      return exit.value;
    }
    const error = Cause.squash(exit.cause);
    const message = error instanceof Error ? error.message : String(error);
    if (isSimulatedCrash(error)) this.stats.crashes++;
    else this.errors.push(`t=${this.t}s: ${name} failed: ${message}`);
    this.note({ t: this.t, type: "crash", service: name, detail: message });
    await Effect.runPromise(Scope.close(entry.scope, Exit.void));
    await this.start(name);
    this.afterWork(name);
    return 1;
  }

  private afterWork(name: ControlPlaneService): void {
    if (name === "sink") {
      for (const entry of this.watcher.observe(this.accepted.splice(0), this.t)) {
        this.timeline.push(entry);
        this.journal.push(entry);
      }
    }
    for (const b of this.ledger.breaches()) this.breaches.push(`t=${this.t}s after ${name}: ${b}`);
  }
}
