import { type Quotas, stepKinds, type ViewDocument } from "@phasekit/core";
import { Cause, type Context, Effect, Exit, Scope } from "effect";
import { type MemoryBackendShape, makeMemoryBackend } from "../backend.js";
import type { MemoryPorts } from "../layer.js";
import { makePrng, type Prng } from "../prng.js";
import { Agenda } from "./agenda.js";
import { ClusterPlayer, type Finish } from "./cluster-player.js";
import { isSimulatedCrash } from "./crash.js";
import { lifecycleOf } from "./invariants.js";
import { type CommandOperation, commandOf, type Operation } from "./operations.js";
import { QuotaLedger } from "./quota-ledger.js";
import { makeRecorder, type Recorder } from "./recorder.js";
import { defaultTakes, type ResourceToCreate, stepDuration } from "./requests.js";
import { type RunningService, type ServiceName, serviceNames, skipIdleOn, startService } from "./services.js";
import { finishWrite, refusalOf, serviceHooks, shuffled } from "./simulation-parts.js";
import { simulationPorts } from "./simulation-ports.js";
import {
  type Action,
  epoch,
  isoTime,
  maxRounds,
  orchestratorQuotas,
  principalsOf,
  type SimulationBackend,
  type SimulationSetup,
} from "./simulation-setup.js";
import { awaitResult, exec, execOrThrow, runSteps, type Steps } from "./steps.js";
import { type Note, type TimelineEntry, ViewWatcher } from "./timeline.js";
import { documentStatus } from "./view-status.js";

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
 * The loop is written once, as steps (`./steps.ts`): its methods run them synchronously over the
 * memory ports; `AsyncSimulation` runs the same steps as Promises over other ports (Kafka's logs).
 *
 * @module
 */

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

  /** With `over`, the services run over its ports; start them with {@link startServices} through a driver. */
  constructor(
    readonly setup: SimulationSetup,
    private readonly over?: SimulationBackend,
  ) {
    const { faults } = setup;
    const tokens = principalsOf(setup);
    for (const [token, { account }] of Object.entries(tokens)) this.accountOf.set(token, account);
    this.backend = makeMemoryBackend({
      seed: setup.seed,
      faults: { duplicate: faults.duplicate, reorder: faults.reorder, staleReads: faults.staleReads },
      tokens,
    });
    const prng = makePrng(setup.seed).fork("simulator");
    this.order = prng.fork("order");
    const crashes = prng.fork("crash");
    this.quotas = orchestratorQuotas(setup);
    this.ledger = new QuotaLedger(
      Object.fromEntries(Object.entries(setup.accounts).map(([a, v]) => [a, v.quota])),
    );
    this.recorder = makeRecorder(this.ledger);
    this.backend.view.onAccepted((document) => void this.accepted.push(document));
    const crash = faults.crashBeforeCommit > 0 ? () => crashes.chance(faults.crashBeforeCommit) : null;
    this.context = simulationPorts(this.backend, this.recorder, over, crash);
    this.player = new ClusterPlayer(setup.nodes, (kind, id, role) =>
      stepDuration(kind, role, this.takes.get(id) ?? setup.takes ?? defaultTakes),
    );
    if (over === undefined) runSteps(this.startServices());
  }

  /** Starts the control-plane services (the constructor does, over the memory ports). */
  *startServices(): Steps<void> {
    for (const name of serviceNames) yield* this.start(name);
  }

  /** Stops every service: closes its scope without committing. */
  *stopServices(): Steps<void> {
    for (const { scope } of this.services.values()) yield* execOrThrow(Scope.close(scope, Exit.void));
    this.services.clear();
  }

  /** Runs an operation now, synchronously (the memory ports; see {@link operation}). */
  run(op: Operation): void {
    runSteps(this.operation(op));
  }

  /** An operation as steps, for whichever driver runs the loop. */
  *operation(op: Operation): Steps<void> {
    if (op.type === "advance") return yield* this.advancing(op.until, op.onInstant);
    if (op.type === "settle") return yield* this.settling();
    if (op.type === "fail") return yield* this.failing(op.id, op.reason);
    if (op.type === "createAll") return yield* this.creatingAll(op.creates);
    if (op.type === "create" && op.resource.takes !== undefined)
      this.takes.set(op.resource.id, op.resource.takes);
    return yield* this.command(op);
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

  /** When the next action is due, stale step finishes included (what `advanceTo` runs), or undefined. */
  nextScheduled(): number | undefined {
    return this.agenda.next();
  }

  /** Runs every action due up to `until` (each followed by a settle), then sets the clock to `until`. */
  advanceTo(until: number, onInstant?: (now: number) => void): void {
    this.run({ type: "advance", until, onInstant });
  }

  private *advancing(until: number, onInstant?: (now: number) => void): Steps<void> {
    for (let at = this.agenda.next(); at !== undefined && at <= until; at = this.agenda.next()) {
      this.now = Math.max(this.now, at);
      onInstant?.(this.now);
      const due = this.agenda.takeDue(at);
      for (let i = 0; i < due.length; i++) {
        if (due[i]!.type !== "finish" || !this.setup.batchFinishes) yield* this.perform(due[i]!);
        else {
          // A run of finishes at one instant: each written, then one settle (see `batchFinishes`).
          for (let a = due[i]; a?.type === "finish"; a = due[++i]) yield* this.finishing(a.finish);
          i--;
          yield* this.settling();
        }
      }
    }
    this.now = Math.max(this.now, until);
  }

  /** Creates a resource now through the command API, as `token`. */
  create(resource: ResourceToCreate, token: string): void {
    this.run({ type: "create", resource, token });
  }

  /** Creates each resource now through the command API, in order, then settles once (see `batchable`, run.ts). */
  createAll(creates: readonly { readonly resource: ResourceToCreate; readonly token: string }[]): void {
    this.run({ type: "createAll", creates });
  }

  private *creatingAll(
    creates: readonly { readonly resource: ResourceToCreate; readonly token: string }[],
  ): Steps<void> {
    this.batching = true;
    try {
      for (const c of creates) yield* this.operation({ type: "create", ...c });
    } finally {
      this.batching = false;
    }
    yield* this.settling();
  }

  uploaded(id: string, token: string): void {
    this.run({ type: "uploaded", id, token });
  }

  terminate(id: string, token: string): void {
    this.run({ type: "terminate", id, token });
  }

  delete(id: string, token: string): void {
    this.run({ type: "delete", id, token });
  }

  label(id: string, labels: Readonly<Record<string, string | null>>, token: string): void {
    this.run({ type: "label", id, labels, token });
  }

  /** The work of `id` fails with `reason`: now if its step runs, else when it starts (unless it is over). */
  fail(id: string, reason: string): void {
    this.run({ type: "fail", id, reason });
  }

  private *failing(id: string, reason: string): Steps<void> {
    const entity = documentStatus(this.backend.view.document(id));
    const running = entity && lifecycleOf(entity.kind)?.isTerminal(entity.status) === false;
    const { effect, finishes } = running
      ? this.player.fail(this.now, entity.kind, id, reason)
      : { effect: "late" as const, finishes: [] };
    this.note({ t: this.t, type: "fail", id, reason, effect });
    this.scheduleFinishes(finishes);
    yield* this.settling();
  }

  /** Lets the control plane run until nothing changes, then lets the cluster start what it can. */
  settle(): void {
    this.run({ type: "settle" });
  }

  private *settling(): Steps<void> {
    const rounds = this.over?.quietRounds ?? this.setup.faults.staleReads + 1;
    const quiet = this.over?.quiet;
    let idle = 0;
    for (let round = 0; idle < rounds; round++) {
      if (round >= maxRounds) {
        this.errors.push(`t=${this.t}s: the control plane was still busy after ${maxRounds} rounds`);
        break;
      }
      this.stats.rounds++;
      let work = 0;
      for (const name of this.roundOrder()) work += yield* this.runService(name);
      idle = work === 0 && (quiet === undefined || quiet()) ? idle + 1 : 0;
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

  private *perform(action: Action): Steps<void> {
    if (action.type === "run") yield* awaitResult(action.run());
    else if (action.type === "informer") {
      this.informerTick = null;
      this.informerNow = true;
      yield* this.settling();
      this.informerNow = false;
    } else {
      yield* this.finishing(action.finish);
      yield* this.settling();
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

  private *command(op: CommandOperation): Steps<void> {
    const { type: command, token } = op;
    const { id, effect } = commandOf(op, this.iso());
    const exit = yield* exec(Effect.provideContext(effect, this.context));
    const refused = refusalOf(exit);
    const by = this.accountOf.get(token) ?? null;
    this.note({ t: this.t, type: "command", command, id, by, refused });
    if (!this.batching) yield* this.settling();
  }

  /** A step's work ends: its condition written on the cluster object (unless the finish is stale). */
  private finishing = (f: Finish) =>
    finishWrite(this.backend.cluster, this.player.finish(f.key, f.generation, this.iso()));

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
    return shuffled(
      serviceNames.filter((n) => n !== "informer" || this.setup.faults.informerLag === 0 || this.informerNow),
      this.order,
    );
  }

  private *start(name: ServiceName): Steps<void> {
    const scope = Effect.runSync(Scope.make());
    const hooks = serviceHooks({
      onError: (line) => void this.errors.push(`t=${this.t}s: ${line}`),
      onRejected: () => void this.stats.rejections++,
      also: this.over?.onDeadLetter,
    });
    const started = startService(
      name,
      this.quotas,
      hooks,
      // Idle skipping reads the memory backend; over another backend the services read elsewhere.
      this.over ? undefined : skipIdleOn(this.setup.faults, this.backend),
    ).pipe(Scope.provide(scope), Effect.provideContext(this.context));
    this.services.set(name, { scope, service: yield* execOrThrow(started) });
  }

  /** One runOnce; a crash (injected or not) closes the service's scope and starts it again. */
  private *runService(name: ServiceName): Steps<number> {
    const entry = this.services.get(name)!;
    this.stats.runs++;
    // Provably nothing to do: no Effect to build or run. Asked once: `runBusy` does not ask again.
    if (entry.service.idle?.()) return 0;
    const exit = yield* exec((entry.service.runBusy ?? entry.service.runOnce)(this.iso()));
    if (Exit.isSuccess(exit)) {
      if (exit.value > 0) this.afterWork(name);
      return exit.value;
    }
    const error = Cause.squash(exit.cause);
    const message = error instanceof Error ? error.message : String(error);
    if (isSimulatedCrash(error)) this.stats.crashes++;
    else this.errors.push(`t=${this.t}s: ${name} failed: ${message}`);
    this.note({ t: this.t, type: "crash", service: name, detail: message });
    yield* execOrThrow(Scope.close(entry.scope, Exit.void));
    yield* this.start(name);
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
