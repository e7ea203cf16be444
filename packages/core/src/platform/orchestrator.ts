import * as Effect from "effect/Effect";
import type * as Scope from "effect/Scope";
import { Cluster, type ClusterError, type NewClusterObject } from "../ports/Cluster.js";
import { EventLog } from "../ports/EventLog.js";
import { KeyValue, type KeyValueError } from "../ports/KeyValue.js";
import type { LogError, ProducerRecord } from "../ports/Log.js";
import { StateLog } from "../ports/StateLog.js";
import { type DyffEntity, failureStatus } from "../systems/dyff/index.js";
import {
  type AdmissionRecord,
  admissionKey,
  admissionPrefix,
  decodeAdmission,
  encodeAdmission,
} from "./admissions.js";
import { type DeadLetterHook, decodeBatch, logDeadLetter } from "./consume.js";
import { consumerGroups } from "./consumer-groups.js";
import { decodeStateShared } from "./decode-memo.js";
import { type EventMessage, eventRecord, type StateMessage } from "./messages.js";
import { makeOrchestrationIndex } from "./orchestration-index.js";
import {
  decideEntity,
  emitMark,
  familyOf,
  mustStop,
  type OrchestratorAction,
  quotaLimitMessages,
  releaseDue,
  wouldEmit,
} from "./orchestration-rules.js";
import {
  addRequest,
  admissionOrder,
  dependencyStates,
  emptyResourceRequest,
  fitsQuota,
  isTerminal,
  type Quotas,
  type ResourceRequest,
  requestOf,
} from "./scheduling.js";
import { loadState } from "./state.js";
import { workflowLabels } from "./steps.js";

/**
 * The orchestrator (walkthrough step 7, status-catalog §1.8): from the CURRENT state of every entity
 * (its snapshot of the state log) and its admission records (the strongly consistent key-value
 * store), it decides which work waits, fails, is admitted or is released. It never writes the state:
 * it produces status messages, which loop back through the aggregator.
 *
 * @module
 */

export { emitMark, type OrchestratorAction } from "./orchestration-rules.js";

/** What the orchestrator knows when it decides. */
export interface OrchestratorView {
  readonly entities: ReadonlyMap<string, StateMessage>;
  readonly admissions: ReadonlyMap<string, AdmissionRecord>;
  readonly quotas: Quotas;
  /** What it produced per id, as `emitMark(version, status, reason)`: a message already produced for this version is not produced again. */
  readonly emitted: ReadonlyMap<string, string>;
}

/**
 * Decides everything the orchestrator should do now. Deterministic: entities in id order, accounts in
 * name order, admission per account by creation time then id. Already-admitted work holds its quota
 * until its entity is terminal; waiting work is admitted strictly first come first served (an item
 * that does not fit blocks later ones of its account), except an item larger than the quota itself,
 * which waits forever without blocking. A status is produced only if the machine allows it from the
 * current state and it was not already produced for this version (QuotaLimit is shown once).
 *
 * `ids` limits the scan to those ids (the rest of the view is still read, to look up dependencies):
 * when it holds every id that can act (`mayAct`: every non-terminal entity, every terminal one whose
 * admission is due a release), the actions are exactly those of the full scan, at a cost proportional
 * to those ids. The running orchestrator decides incrementally (`OrchestrationIndex.decide`); this
 * function is the reference it is tested against.
 *
 * @example
 * ```ts
 * const actions = decideOrchestration({ entities, admissions, quotas: { alice: { gpu: 1 } }, emitted });
 * decideOrchestration({ entities, admissions, quotas, emitted }, index.active); // the same actions
 * ```
 */
export function decideOrchestration(view: OrchestratorView, ids?: Iterable<string>): OrchestratorAction[] {
  const { entities, admissions, quotas, emitted } = view;
  const scan = ids === undefined ? undefined : [...new Set(ids)].sort();
  const actions: OrchestratorAction[] = [];
  const emit = (state: StateMessage, status: string, reason: string | null, message: string | null) => {
    if (wouldEmit(state, status, reason, emitted))
      actions.push({ type: "emit", id: state.entity.id, status, reason, message });
  };

  for (const id of scan ?? [...admissions.keys()].sort()) {
    const admission = admissions.get(id);
    const entity = entities.get(id)?.entity;
    if (!admission || !entity || !isTerminal(entity)) continue;
    if (releaseDue(entity, admission))
      actions.push({ type: "release", id, deleteResource: mustStop(entity) && !admission.resourceDeleted });
  }

  const dependencies = dependencyStates(entities, scan);
  const candidates: StateMessage[] = [];
  const usage = new Map<string, ResourceRequest>();
  for (const id of scan ?? [...entities.keys()].sort()) {
    const state = entities.get(id);
    if (!state) continue;
    const e = state.entity;
    const admission = admissions.get(id);
    if (admission && admission.releasedAt === null && !isTerminal(e))
      usage.set(e.account, addRequest(usage.get(e.account) ?? emptyResourceRequest, admission.request));
    if (isTerminal(e)) continue;
    const decided = decideEntity(state, admission, dependencies.get(id)!, emitted);
    if (decided === "candidate") candidates.push(state);
    else if (decided) actions.push(decided);
  }

  const byAccount = new Map<string, StateMessage[]>();
  for (const c of candidates) {
    const queue = byAccount.get(c.entity.account);
    if (queue) queue.push(c);
    else byAccount.set(c.entity.account, [c]);
  }
  for (const account of [...byAccount.keys()].sort()) {
    const quota = quotas[account] ?? {};
    let used = usage.get(account) ?? emptyResourceRequest;
    let blocked = false;
    for (const state of byAccount.get(account)!.sort((a, b) => admissionOrder(a.entity, b.entity))) {
      const request = requestOf(state.entity);
      if (!fitsQuota(emptyResourceRequest, request, quota)) {
        emit(state, "Created", "QuotaLimit", quotaLimitMessages.tooBig);
      } else if (!blocked && fitsQuota(used, request, quota)) {
        actions.push({ type: "admit", id: state.entity.id, request });
        used = addRequest(used, request);
      } else {
        blocked = true;
        emit(state, "Created", "QuotaLimit", quotaLimitMessages.waiting);
      }
    }
  }
  return actions;
}

/**
 * The workflow object the orchestrator creates for an admitted entity: named by the entity id (so a
 * second create is `AlreadyExists`), its spec the entity's spec and the request.
 *
 * @example
 * ```ts
 * yield* cluster.create(workflowResource(entity, requestOf(entity)));
 * ```
 */
export function workflowResource(entity: DyffEntity, request: ResourceRequest): NewClusterObject {
  return {
    kind: entity.kind,
    name: entity.id,
    owner: null,
    labels: { [workflowLabels.account]: entity.account, [workflowLabels.kind]: entity.kind },
    spec: { id: entity.id, account: entity.account, request, spec: entity.spec },
  };
}

/** A create that needs no retry: done before (AlreadyExists) or refused for good (Forbidden). */
const createSettled = (e: ClusterError) => e.code === "AlreadyExists" || e.code === "Forbidden";

export interface OrchestratorOptions {
  /** Quotas by account (an account without one is unlimited). */
  readonly quotas?: Quotas;
  /** Consumer group on the state log (default `phasekit.orchestrator`). */
  readonly group?: string;
  readonly maxRecords?: number;
  readonly onDeadLetter?: DeadLetterHook;
}

/** A running orchestrator; `runOnce(now)` returns the records it consumed plus the actions it took. */
export interface Orchestrator {
  readonly runOnce: (now: string) => Effect.Effect<number, LogError | KeyValueError | ClusterError>;
}

/**
 * Starts an orchestrator: rebuilds its snapshot from the state log and its admissions from the
 * key-value store, then joins the consumer group. Each `runOnce(now)` polls the state log, updates the
 * snapshot, decides with its `OrchestrationIndex` (exactly the actions of {@link decideOrchestration}
 * over the whole snapshot, at a cost that follows what changed since the last decision rather than
 * the waiting work or everything ever seen), performs the actions, and commits only after they all
 * succeeded. An admission is: compare-and-set `admission/<id>` (a lost race means it was already
 * admitted: carry on), create the workflow object (`AlreadyExists` means it was already created:
 * fine), produce `Admitted`. A release deletes the object (`NotFound` is fine) and marks the record
 * released. Run one orchestrator: its snapshot and its cache of the admissions are its own, so a
 * second one would count quota without the first one's newer admissions.
 *
 * @example
 * ```ts
 * const orchestrator = yield* makeOrchestrator({ quotas: { alice: { gpu: 1 } } });
 * yield* orchestrator.runOnce("2026-01-01T00:00:05Z");
 * ```
 */
export const makeOrchestrator = (
  options: OrchestratorOptions = {},
): Effect.Effect<
  Orchestrator,
  LogError | KeyValueError,
  StateLog | EventLog | KeyValue | Cluster | Scope.Scope
> =>
  Effect.gen(function* () {
    const stateLog = yield* StateLog;
    const events = yield* EventLog;
    const kv = yield* KeyValue;
    const cluster = yield* Cluster;
    const group = options.group ?? consumerGroups.orchestrator.group;
    const onDeadLetter = options.onDeadLetter ?? logDeadLetter;
    const index = makeOrchestrationIndex(
      yield* loadState(stateLog, group, onDeadLetter),
      options.quotas ?? {},
    );
    const load = Effect.fnUntraced(function* (key: string, stored: { value: string; version: number }) {
      const record = decodeAdmission(key, stored.value);
      if (record instanceof Error) return yield* Effect.logWarning(`orchestrator: ${record.message}`);
      index.putAdmission(record, stored.version);
    });
    for (const [key, stored] of yield* kv.list(admissionPrefix)) yield* load(key, stored);
    const consumer = yield* stateLog.consumer(group);

    /**
     * The statuses produced while performing one decision's actions, appended as one batch after
     * them (one append instead of one per action; what was produced is marked once it is appended).
     * On a failure the batch is appended before the failure goes on, so the log holds exactly what
     * appending each status at once would have left in it.
     */
    let pending: ProducerRecord<EventMessage>[] = [];
    let marks: { id: string; mark: string }[] = [];
    const produce = (
      state: StateMessage,
      status: string,
      reason: string | null,
      message: string | null,
      at: string,
    ) => {
      const id = state.entity.id;
      pending.push(eventRecord(id, { type: "Status", status, reason, message, author: "orchestrator", at }));
      marks.push({ id, mark: emitMark(state.version, status, reason) });
    };
    const flush = Effect.suspend(() => {
      if (pending.length === 0) return Effect.void;
      const batch = pending;
      const produced = marks;
      pending = [];
      marks = [];
      return Effect.map(events.append(batch), () => {
        for (const { id, mark } of produced) index.putEmitted(id, mark);
      });
    });

    /** Creates the workflow object; the cluster's refusal for good (Forbidden), or undefined. */
    const ensure = (state: StateMessage, request: ResourceRequest) =>
      cluster.create(workflowResource(state.entity, request)).pipe(
        Effect.as(undefined),
        Effect.catchIf(createSettled, (e) => Effect.succeed(e.code === "Forbidden" ? e : undefined)),
      );

    /**
     * Creates the workflow object (AlreadyExists: it was created before), then produces Admitted. A
     * create the cluster refuses for good (Forbidden: RBAC, an admission webhook, a ResourceQuota)
     * fails the work with AdmissionFailed, as the reference orchestrator does when the create throws,
     * instead of failing every round and blocking all other work. Unavailable is retried next round.
     */
    const report = (state: StateMessage, refused: ClusterError | undefined, now: string) =>
      refused === undefined
        ? produce(state, "Admitted", null, null, now)
        : produce(
            state,
            failureStatus[familyOf(state.entity)],
            "AdmissionFailed",
            `the cluster refused the workflow's resource: ${refused.message}`,
            now,
          );
    const ensureAndReport = (state: StateMessage, request: ResourceRequest, now: string) =>
      Effect.map(ensure(state, request), (refused) => report(state, refused, now));

    const admit = Effect.fnUntraced(function* (state: StateMessage, request: ResourceRequest, now: string) {
      const { entity } = state;
      const key = admissionKey(entity.id);
      const record: AdmissionRecord = {
        id: entity.id,
        account: entity.account,
        kind: entity.kind,
        request,
        admittedAt: now,
        releasedAt: null,
        resourceDeleted: false,
      };
      const version = yield* kv.compareAndSet(key, null, encodeAdmission(record));
      if (version !== null) index.putAdmission(record, version);
      else {
        const stored = yield* kv.get(key);
        if (stored) yield* load(key, stored);
      }
      report(state, yield* ensure(state, index.admission(entity.id)?.record.request ?? request), now);
    });

    const release = Effect.fnUntraced(function* (state: StateMessage, deleteResource: boolean, now: string) {
      const { entity } = state;
      if (deleteResource)
        yield* cluster.delete(entity.kind, entity.id).pipe(
          Effect.catchIf(
            (e) => e.code === "NotFound",
            () => Effect.void,
          ),
        );
      const key = admissionKey(entity.id);
      for (let attempt = 0; attempt < 2; attempt++) {
        const held = index.admission(entity.id)!;
        const record: AdmissionRecord = {
          ...held.record,
          releasedAt: held.record.releasedAt ?? now,
          resourceDeleted: held.record.resourceDeleted || deleteResource,
        };
        const version = yield* kv.compareAndSet(key, held.version, encodeAdmission(record));
        if (version !== null) return index.putAdmission(record, version);
        const stored = yield* kv.get(key);
        if (stored) yield* load(key, stored);
      }
    });

    const perform = (action: Exclude<OrchestratorAction, { type: "emit" }>, now: string) => {
      const state = index.entities.get(action.id)!;
      switch (action.type) {
        case "admit":
          return admit(state, action.request, now);
        case "resume":
          return ensureAndReport(state, index.admission(action.id)!.record.request, now);
        case "release":
          return release(state, action.deleteResource, now);
      }
    };

    const performAll = Effect.fnUntraced(function* (actions: readonly OrchestratorAction[], now: string) {
      for (const action of actions) {
        if (action.type === "emit") {
          const state = index.entities.get(action.id)!;
          produce(state, action.status, action.reason, action.message, now);
        } else yield* perform(action, now);
      }
    });

    /**
     * True after a run that polled nothing and decided nothing: the decision is a function of the
     * snapshot, the admissions and what was produced, and none of them has changed since, so the
     * next run with nothing polled would decide nothing again.
     */
    let quiet = false;

    // Generator functions made once (`fnUntraced`), not per call: a fresh `function*` costs V8 a new map.
    const runOnce = Effect.fnUntraced(function* (now: string) {
      const records = yield* consumer.poll({ max: options.maxRecords ?? 500 });
      if (records.length === 0 && quiet) return 0;
      const decoded = yield* decodeBatch(records, decodeStateShared, group, onDeadLetter);
      for (const { message } of decoded) index.putState(message);
      const actions = index.decide();
      quiet = false;
      yield* Effect.catchCause(performAll(actions, now), (cause) =>
        Effect.andThen(flush, Effect.failCause(cause)),
      );
      yield* flush;
      if (records.length > 0) yield* consumer.commit(records);
      quiet = records.length === 0 && actions.length === 0;
      return records.length + actions.length;
    });
    return { runOnce };
  });
