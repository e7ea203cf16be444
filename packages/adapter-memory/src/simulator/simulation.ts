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
  type Verb,
  type ViewDocument,
  ViewStore,
} from "@phasekit/core";
import { Cause, Context, Effect, Exit, Scope } from "effect";
import { type MemoryBackendShape, makeMemoryBackend } from "../backend.js";
import type { MemoryPorts } from "../layer.js";
import { makePrng, type Prng } from "../prng.js";
import { Agenda } from "./agenda.js";
import { ClusterPlayer, type Finish } from "./cluster-player.js";
import { crashingCluster, crashingKeyValue, crashingLog, isSimulatedCrash } from "./crash.js";
import { lifecycleOf } from "./invariants.js";
import { QuotaLedger } from "./quota-ledger.js";
import { makeRecorder, type Recorder, recordingCluster, recordingStateLog } from "./recorder.js";
import { createRequestOf, defaultTakes, type ResourceToCreate, stepDuration } from "./requests.js";
import { type RunningService, type ServiceName, serviceNames, skipIdleOn, startService } from "./services.js";
import { type Action, epoch, isoTime, maxRounds, type SimulationSetup } from "./simulation-setup.js";
import type { Note, TimelineEntry } from "./timeline.js";
import { ViewWatcher } from "./timeline.js";

/**
 * The simulation engine: the memory backend, the control-plane services, the simulated cluster and
 * clock. Every call does one thing at the current simulated time and lets the platform settle: the
 * services run in rounds, in an order drawn from the seed, until a round (or, with stale reads, as
 * many rounds as reads may lag) finds nothing to do. Time moves only through {@link Simulation.advanceTo},
 * which jumps from one due action to the next: an hour of simulated time costs what happens in it.
 * What it does around the services follows what changed, not everything there is: the timeline
 * from the view's accepted upserts, the quota check from a ledger of per-account sums, the cluster
 * player from the cluster's change feed.
 *
 * `runScenario` drives it from a scenario file; the model-based tests drive it command by command.
 *
 * @module
 */

export {
  type Action,
  epoch,
  maxRounds,
  type SimulationSetup,
  type SimulatorMutation,
  simulatedTime,
  simulatorMutations,
} from "./simulation-setup.js";

/** The `quota-slack` mutation: every limit one more than the scenario says. */
const slack = (quotas: Quotas): Quotas =>
  Object.fromEntries(
    Object.entries(quotas).map(([account, q]) => [
      account,
      Object.fromEntries(Object.entries(q).map(([k, v]) => [k, v + 1])),
    ]),
  );

/**
 * One simulated platform, driven command by command (see the module comment).
 *
 * @example
 * ```ts
 * const sim = new Simulation({ seed: 1, accounts: { alice: { quota: {}, tokens: [{ token: "t", verbs: ["create"] }] } },
 *   faults: { duplicate: 0, crashBeforeCommit: 0, reorder: false, informerLag: 0, staleReads: 0 } });
 * sim.create({ kind: "Model", id: "m1", account: "alice", needs: {}, takes: 30_000 }, "t");
 * sim.advanceTo(60_000);
 * sim.timeline.map((e) => e.status); // ["Created", "Admitted", "Ready"]
 * ```
 */
export class Simulation {
  readonly backend: MemoryBackendShape;
  readonly recorder: Recorder;
  readonly timeline: TimelineEntry[] = [];
  readonly notes: Note[] = [];
  /** Timeline entries and notes together, in the order they happened. */
  readonly journal: (TimelineEntry | Note)[] = [];
  /** Quota breaches, each stamped with when and after which service. */
  readonly breaches: string[] = [];
  /** Unexpected service failures, dead letters, and settles that did not end. */
  readonly errors: string[] = [];
  readonly stats = { rounds: 0, runs: 0, crashes: 0, rejections: 0 };
  now = 0;
  private readonly agenda = new Agenda<Action>();
  private readonly player: ClusterPlayer;
  private readonly watcher = new ViewWatcher();
  private readonly services = new Map<ServiceName, { scope: Scope.Closeable; service: RunningService }>();
  private readonly context: Context.Context<MemoryPorts>;
  private readonly order: Prng;
  private readonly takes = new Map<string, number>();
  private readonly quotas: Quotas;
  /** The quota sums, kept by the recorder as workflow objects and states come and go. */
  private readonly ledger: QuotaLedger;
  /** The view's upserts since the watcher last looked, in order. */
  private readonly accepted: ViewDocument[] = [];
  /** Where the cluster player's look at the cluster's change feed left off. */
  private stepsCursor: string | null = null;
  private informerNow = false;
  private informerSeen = -1;
  private informerTick: number | null = null;
  private readonly notedPending = new Set<string>();
  /** The account of each token, to say who sent a command. */
  private readonly accountOf = new Map<string, string>();
  private batching = false; // inside createAll: commands do not settle one by one

  constructor(readonly setup: SimulationSetup) {
    const { faults } = setup;
    const tokens: Record<string, { account: string; verbs: readonly Verb[] }> = {};
    for (const [account, a] of Object.entries(setup.accounts))
      for (const t of a.tokens) {
        tokens[t.token] = { account, verbs: t.verbs };
        this.accountOf.set(t.token, account);
      }
    this.backend = makeMemoryBackend({
      seed: setup.seed,
      faults: { duplicate: faults.duplicate, reorder: faults.reorder, staleReads: faults.staleReads },
      tokens,
    });
    const prng = makePrng(setup.seed).fork("simulator");
    this.order = prng.fork("order");
    const crashes = prng.fork("crash");
    const crash = () => crashes.chance(faults.crashBeforeCommit);
    const quotas: Record<string, Quotas[string]> = {};
    for (const [account, a] of Object.entries(setup.accounts)) {
      const { gpu, cpu, memoryGiB, slots } = a.quota;
      quotas[account] = {
        ...(gpu !== undefined && { gpu }),
        ...(cpu !== undefined && { cpu }),
        ...(memoryGiB !== undefined && { memoryGiB }),
        ...(slots !== undefined && { slots }),
      };
    }
    this.quotas = setup.mutation === "quota-slack" ? slack(quotas) : quotas;
    this.ledger = new QuotaLedger(
      Object.fromEntries(Object.entries(setup.accounts).map(([a, v]) => [a, v.quota])),
    );
    this.recorder = makeRecorder(this.ledger);
    const b = this.backend;
    b.view.onAccepted((document) => void this.accepted.push(document));
    const stateLog = recordingStateLog(b.state.port, this.recorder);
    const cluster = recordingCluster(b.cluster.port, this.recorder);
    const crashy = faults.crashBeforeCommit > 0;
    this.context = Context.make(EventLog, crashy ? crashingLog(b.events.port, crash) : b.events.port).pipe(
      Context.add(StateLog, crashy ? crashingLog(stateLog, crash) : stateLog),
      Context.add(KeyValue, crashy ? crashingKeyValue(b.keyValue.port, crash) : b.keyValue.port),
      Context.add(Cluster, crashy ? crashingCluster(cluster, crash) : cluster),
      Context.add(ViewStore, b.view.port),
      Context.add(Authorizer, b.authorizer.port),
    ) as Context.Context<MemoryPorts>;
    this.player = new ClusterPlayer(setup.nodes, (kind, id, role) =>
      stepDuration(kind, role, this.takes.get(id) ?? setup.takes ?? defaultTakes),
    );
    for (const name of serviceNames) this.start(name);
  }

  /** The RFC 3339 time of the simulated now (from `setup.epoch`). */
  iso(): string {
    return isoTime((this.setup.epoch ?? epoch) + this.now);
  }

  /** Seconds since the start, as the timeline shows them. */
  get t(): number {
    return this.now / 1000;
  }

  /** Schedules an action at `at` (milliseconds; never before now). */
  schedule(at: number, label: string, run: () => void): void {
    this.agenda.schedule(Math.max(at, this.now), { type: "run", label, run });
  }

  /** When the next action that still matters is due, or undefined when none is (stale step finishes are dropped). */
  nextDue(): number | undefined {
    this.agenda.dropWhile(
      (a) => a.type === "finish" && this.player.isStale(a.finish.key, a.finish.generation),
    );
    return this.agenda.next();
  }

  /** Runs every action due up to `until` (each followed by a settle), then sets the clock to `until`. */
  advanceTo(until: number, onInstant?: (now: number) => void): void {
    for (let at = this.agenda.next(); at !== undefined && at <= until; at = this.agenda.next()) {
      this.now = Math.max(this.now, at);
      onInstant?.(this.now);
      for (const action of this.agenda.takeDue(at)) this.perform(action);
    }
    this.now = Math.max(this.now, until);
  }

  /** Creates a resource now through the command API, as `token`. */
  create(resource: ResourceToCreate, token: string): void {
    if (resource.takes !== undefined) this.takes.set(resource.id, resource.takes);
    this.command("create", resource.id, token, createEntity(token, createRequestOf(resource), this.iso()));
  }

  /** Creates each resource now through the command API, in order, then settles once (see `batchable`, run.ts). */
  createAll(creates: readonly { readonly resource: ResourceToCreate; readonly token: string }[]): void {
    this.batching = true;
    for (const { resource, token } of creates) this.create(resource, token);
    this.batching = false;
    this.settle();
  }

  uploaded(id: string, token: string): void {
    this.command("uploaded", id, token, markEntityUploaded(token, id, this.iso()));
  }

  terminate(id: string, token: string): void {
    this.command("terminate", id, token, terminateEntity(token, id, this.iso()));
  }

  delete(id: string, token: string): void {
    this.command("delete", id, token, deleteEntity(token, id, this.iso()));
  }

  label(id: string, labels: Readonly<Record<string, string | null>>, token: string): void {
    this.command("label", id, token, editEntityLabels(token, id, labels, this.iso()));
  }

  /** The work of `id` fails with `reason`: now if its step runs, else when it starts (unless it is over). */
  fail(id: string, reason: string): void {
    const doc = this.backend.view.document(id);
    const entity = doc && (JSON.parse(doc.value) as { kind: string; status: string });
    const running = entity && lifecycleOf(entity.kind)?.isTerminal(entity.status) === false;
    const { effect, finishes } = running
      ? this.player.fail(this.now, entity.kind, id, reason)
      : { effect: "late" as const, finishes: [] };
    this.note({ t: this.t, type: "fail", id, reason, effect });
    this.scheduleFinishes(finishes);
    this.settle();
  }

  /** Lets the control plane run until nothing changes, then lets the cluster start what it can. */
  settle(): void {
    const rounds = this.setup.faults.staleReads + 1;
    let idle = 0;
    for (let round = 0; idle < rounds; round++) {
      if (round >= maxRounds) {
        this.errors.push(`t=${this.t}s: the control plane was still busy after ${maxRounds} rounds`);
        break;
      }
      this.stats.rounds++;
      let work = 0;
      for (const name of this.roundOrder()) work += this.runService(name);
      idle = work === 0 ? idle + 1 : 0;
    }
    if (this.informerNow) this.informerSeen = this.backend.cluster.revision();
    const changes = this.backend.cluster.changesNow(stepKinds, this.stepsCursor);
    this.stepsCursor = changes.cursor;
    this.scheduleFinishes(this.player.syncChanges(this.now, changes));
    // A step still waiting from an earlier settle was noted then: only the last sync's can be new.
    for (const step of this.player.noRoomAtLastSync()) {
      if (this.notedPending.has(step)) continue;
      this.notedPending.add(step);
      this.note({ t: this.t, type: "pending", step });
    }
    this.scheduleInformer();
  }

  private note(note: Note): void {
    this.notes.push(note);
    this.journal.push(note);
  }

  private perform(action: Action): void {
    if (action.type === "run") action.run();
    else if (action.type === "informer") {
      this.informerTick = null;
      this.informerNow = true;
      this.settle();
      this.informerNow = false;
    } else {
      const write = this.player.finish(action.finish.key, action.finish.generation, this.iso());
      const object = write && this.backend.cluster.get(write.kind, write.name);
      if (write && object) {
        const conditions = setCondition(object.conditions, write.condition);
        Effect.runSync(
          this.backend.cluster.port.writeConditions(
            write.kind,
            write.name,
            object.resourceVersion,
            conditions,
          ),
        );
      }
      this.settle();
    }
  }

  /**
   * Runs a program over the ports now (a command of the command API, a read of the view), then
   * lets the platform settle; returns how it ended. An API server drives the simulation this way.
   */
  execute<A, E>(effect: Effect.Effect<A, E, MemoryPorts>): Exit.Exit<A, E> {
    const exit = Effect.runSyncExit(Effect.provideContext(effect, this.context));
    this.settle();
    return exit;
  }

  private command(
    command: "create" | "terminate" | "delete" | "label" | "uploaded",
    id: string,
    token: string,
    effect: Effect.Effect<unknown, { message: string; _tag: string }, MemoryPorts>,
  ) {
    const exit = Effect.runSyncExit(Effect.provideContext(effect, this.context));
    const error = Exit.isFailure(exit)
      ? (Cause.squash(exit.cause) as { _tag?: string; code?: string; message?: string })
      : undefined;
    // CommandRefused carries a code (Terminal, NotFound, DependencyDeleted...); other errors their tag.
    const refused = error
      ? `${error.code ?? error._tag ?? "Error"}: ${error.message ?? String(error)}`
      : null;
    const by = this.accountOf.get(token) ?? null;
    this.note({ t: this.t, type: "command", command, id, by, refused });
    if (!this.batching) this.settle();
  }

  private scheduleFinishes(finishes: readonly Finish[]): void {
    for (const finish of finishes) this.agenda.schedule(finish.at, { type: "finish", finish });
  }

  /** With an informer lag, the informer looks at the cluster at the next multiple of the lag after a change. */
  private scheduleInformer(): void {
    const lag = this.setup.faults.informerLag;
    if (lag === 0 || this.informerTick !== null || this.backend.cluster.revision() === this.informerSeen)
      return;
    this.informerTick = (Math.floor(this.now / lag) + 1) * lag;
    this.agenda.schedule(this.informerTick, { type: "informer" });
  }

  private roundOrder(): ServiceName[] {
    const names = serviceNames.filter(
      (n) => n !== "informer" || this.setup.faults.informerLag === 0 || this.informerNow,
    );
    for (let i = names.length - 1; i > 0; i--) {
      const j = this.order.int(0, i);
      [names[i], names[j]] = [names[j]!, names[i]!];
    }
    return names;
  }

  private start(name: ServiceName): void {
    const scope = Effect.runSync(Scope.make());
    const hooks = {
      onDeadLetter: (l: { consumer: string; key: string; error: Error }) =>
        Effect.sync(
          () =>
            void this.errors.push(`t=${this.t}s: ${l.consumer} dead-lettered ${l.key}: ${l.error.message}`),
        ),
      onRejected: () => Effect.sync(() => void this.stats.rejections++),
    };
    const started = startService(name, this.quotas, hooks, skipIdleOn(this.setup.faults, this.backend)).pipe(
      Scope.provide(scope),
      Effect.provideContext(this.context),
    );
    this.services.set(name, { scope, service: Effect.runSync(started) });
  }

  /** One runOnce; a crash (injected or not) closes the service's scope and starts it again. */
  private runService(name: ServiceName): number {
    const entry = this.services.get(name)!;
    this.stats.runs++;
    const exit = Effect.runSyncExit(entry.service.runOnce(this.iso()));
    if (Exit.isSuccess(exit)) {
      if (exit.value > 0) this.afterWork(name);
      return exit.value;
    }
    const error = Cause.squash(exit.cause);
    const message = error instanceof Error ? error.message : String(error);
    if (isSimulatedCrash(error)) this.stats.crashes++;
    else this.errors.push(`t=${this.t}s: ${name} failed: ${message}`);
    this.note({ t: this.t, type: "crash", service: name, detail: message });
    Effect.runSync(Scope.close(entry.scope, Exit.void));
    this.start(name);
    this.afterWork(name);
    return 1;
  }

  /** After a service did something: record what the view took since, and check the quotas. */
  private afterWork(name: ServiceName): void {
    if (name === "sink") {
      for (const entry of this.watcher.observe(this.accepted.splice(0), this.t)) {
        this.timeline.push(entry);
        this.journal.push(entry);
      }
    }
    for (const b of this.ledger.breaches()) this.breaches.push(`t=${this.t}s after ${name}: ${b}`);
  }
}
