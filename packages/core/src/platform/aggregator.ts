import * as Effect from "effect/Effect";
import * as Fiber from "effect/Fiber";
import type * as Scope from "effect/Scope";
import { article, decode } from "../decode.js";
import { DecodeError, TransitionError } from "../lifecycle/errors.js";
import type { StatusPatch } from "../lifecycle/lifecycle.js";
import type { StatusRecord } from "../lifecycle/record.js";
import { EventLog } from "../ports/EventLog.js";
import type { LogError, LogPosition, LogRecord } from "../ports/Log.js";
import { StateLog } from "../ports/StateLog.js";
import { type DyffEntity, labels as labelsSchema } from "../systems/dyff/index.js";
import {
  type FoldedBatches,
  foldBatch,
  noBatches,
  settlingConsumer,
  stateRecords,
} from "./aggregator-batch.js";
import { type DeadLetterHook, decodeBatch, logDeadLetter } from "./consume.js";
import { consumerGroups } from "./consumer-groups.js";
import { validLabels } from "./event-fast-path.js";
import { decodeEvent, type EventMessage, kindOf, type StateMessage } from "./messages.js";
import { loadState } from "./state.js";

/**
 * The workflows-aggregator (walkthrough steps 5 and 8): folds the event log into full objects on the
 * compacted state log. A fold is the kernel's `moveTo`/`step`, so a status the machine does not allow
 * is rejected and reported, never applied; a message that changes nothing (a duplicate) writes nothing.
 *
 * @module
 */

/** Why an event was not applied. */
export type RejectionCode =
  | "UnknownEntity"
  | "AlreadyExists"
  | "InvalidTransition"
  | "NotUploadable"
  | "InvalidLabels"
  /** The event's `at` is not an RFC 3339 timestamp, so it cannot become a `lastTransitionTime`. */
  | "InvalidTime";

/** An event the aggregator refused: the entity stays as it was. */
export interface Rejection {
  readonly id: string;
  readonly code: RejectionCode;
  readonly message: string;
  readonly event: EventMessage;
}

/** What one event does to the current state of its entity. */
export type AggregateResult =
  | { readonly type: "changed"; readonly state: StateMessage }
  | { readonly type: "unchanged" }
  | { readonly type: "rejected"; readonly rejection: Rejection };

/**
 * Kinds whose data the user uploads: they become Ready on an `Uploaded` event, never by admission.
 *
 * @example
 * ```ts
 * uploadKinds.has("Dataset"); // true
 * ```
 */
export const uploadKinds: ReadonlySet<string> = new Set(["Dataset"]);

// A status record of its own for `moveTo`, not the entity: `moveTo` runs in every service, and
// entities of several shapes would make its property reads polymorphic everywhere.
const statusOf = (e: DyffEntity): StatusRecord => ({
  status: e.status,
  reason: e.reason,
  message: e.message,
  lastTransitionTime: e.lastTransitionTime,
});

/** The immutable part of an entity, to tell a duplicate Create from a different one with the same id. */
const identity = (e: DyffEntity) => JSON.stringify([e.kind, e.account, e.creationTime, e.spec]);

/**
 * Folds one event into the current state of its entity. Pure; the same event twice changes nothing
 * the second time (`aggregate(aggregate(s, e), e)` is unchanged).
 *
 * @example
 * ```ts
 * const fold = aggregate(current, { type: "Status", status: "Admitted", reason: null, author: "orchestrator", at });
 * if (fold.type === "changed") fold.state.version; // current.version + 1
 * ```
 */
export function aggregate(current: StateMessage | undefined, event: EventMessage): AggregateResult {
  return fold(current, event, undefined);
}

/** {@link aggregate}, with `applied` (when given) in a changed state: each state object built once. */
function fold(
  current: StateMessage | undefined,
  event: EventMessage,
  applied: LogPosition | undefined,
): AggregateResult {
  if (event.type === "Create") {
    if (!current) return changed(0, event.entity, applied);
    if (identity(current.entity) === identity(event.entity)) return unchanged;
    return reject(event.entity.id, "AlreadyExists", `${event.entity.id} exists with another spec`, event);
  }
  if (!current) return reject("", "UnknownEntity", "no Create came before this event", event);
  const entity = current.entity;
  switch (event.type) {
    case "Labels": {
      const next: Record<string, string> = { ...entity.labels };
      const patch = event.labels;
      for (const k in patch) {
        if (!Object.hasOwn(patch, k)) continue;
        const v = patch[k];
        if (v === null || v === undefined) delete next[k];
        else next[k] = v;
      }
      const valid = validLabels(next) ? next : decode(labelsSchema, next, `labels of ${entity.id}`);
      if (valid instanceof DecodeError) return reject(entity.id, "InvalidLabels", valid.message, event);
      if (sameLabels(next, entity.labels)) return unchanged;
      return changed(current.version, { ...entity, labels: next }, applied);
    }
    case "Uploaded":
      if (!uploadKinds.has(entity.kind))
        return reject(entity.id, "NotUploadable", `${article(entity.kind)} is not uploaded`, event);
      return move(current, { status: "Ready", reason: null, at: event.at }, event, applied);
    case "Terminate":
      return move(
        current,
        { status: "Terminated", reason: "TerminateCommand", at: event.at },
        event,
        applied,
      );
    case "Delete":
      return move(current, { status: "Deleted", reason: "DeleteCommand", at: event.at }, event, applied);
    case "Status":
      return move(
        current,
        { status: event.status, reason: event.reason, message: event.message ?? null, at: event.at },
        event,
        applied,
      );
  }
}

/**
 * Folds one event-log record: {@link aggregate}, except that a record at or before the position the
 * current state was made from (`applied`, same partition) is a redelivery and changes nothing. A
 * change records the record's position. So re-reading records already folded (a crash after the
 * append, before the commit) gives exactly what reading them once gave, whatever they are.
 *
 * @example
 * ```ts
 * const fold = aggregateRecord(current, record, decodedMessage);
 * if (fold.type === "changed") fold.state.applied; // { partition: record.partition, offset: record.offset }
 * ```
 */
export function aggregateRecord(
  current: StateMessage | undefined,
  record: LogPosition,
  event: EventMessage,
): AggregateResult {
  const held = current?.applied;
  if (held && held.partition === record.partition && record.offset <= held.offset) return unchanged;
  return fold(current, event, { partition: record.partition, offset: record.offset });
}

/**
 * Whether a patched copy of `before` holds the same labels: what comparing their JSON told, without
 * writing two strings an event. The copy keeps `before`'s key order (a patch sets a key in place,
 * adds it at the end, or deletes it), so equal key sets mean equal order.
 */
function sameLabels(
  after: Readonly<Record<string, string>>,
  before: Readonly<Record<string, string>>,
): boolean {
  let n = 0;
  for (const k in after) {
    if (!Object.hasOwn(before, k) || before[k] !== after[k]) return false;
    n++;
  }
  for (const k in before) if (Object.hasOwn(before, k)) n--;
  return n === 0;
}

function move(
  current: StateMessage,
  patch: StatusPatch,
  event: EventMessage,
  applied: LogPosition | undefined,
): AggregateResult {
  const { entity } = current;
  const lifecycle = kindOf(entity.kind)!.lifecycle;
  const before = statusOf(entity);
  const after = lifecycle.moveTo(before, patch);
  if (after instanceof TransitionError) return reject(entity.id, "InvalidTransition", after.message, event);
  if (after instanceof DecodeError) return reject(entity.id, "InvalidTime", after.message, event);
  if (after === before) return unchanged;
  return changed(current.version, { ...entity, ...after }, applied);
}

/** What an event that changes nothing gives (one object for all: results are read, never changed). */
const unchanged: AggregateResult = Object.freeze({ type: "unchanged" });

const changed = (version: number, entity: DyffEntity, applied: LogPosition | undefined): AggregateResult => ({
  type: "changed",
  state: applied ? { version: version + 1, entity, applied } : { version: version + 1, entity },
});

const reject = (id: string, code: RejectionCode, message: string, event: EventMessage): AggregateResult => ({
  type: "rejected",
  rejection: { id, code, message, event },
});

/** Records a rejected event (with the record it came from). Cannot fail. */
export type RejectionHook = (rejection: Rejection, record: LogRecord) => Effect.Effect<void>;

/**
 * The default: a debug log line. Rejections are normal under races (a terminate beats a completion).
 *
 * @example
 * ```ts
 * const aggregator = yield* makeAggregator({ onRejected: logRejection });
 * ```
 */
export const logRejection: RejectionHook = (r, rec) =>
  Effect.logDebug(
    `workflows-aggregator: rejected ${rec.topic}[${rec.partition}]@${rec.offset} ${rec.key}: ${r.message}`,
  );

export interface AggregatorOptions {
  /** Consumer group on the event log (default `phasekit.workflows-aggregator`). */
  readonly group?: string;
  /** Records per poll (default 500). */
  readonly maxRecords?: number;
  readonly onDeadLetter?: DeadLetterHook;
  readonly onRejected?: RejectionHook;
  /**
   * The record cache (Kafka Streams' `statestore.cache`, whose commit interval here is one poll):
   * several changes of one id within a batch leave as one state record, its newest state. Versions
   * on the state log then skip, and a consumer of the state log no longer sees every intermediate
   * status. Off by default: the simulator's timeline and `serve`'s view show every version
   * (docs/decisions.md). Turn it on where only the newest state matters (a Kafka deployment).
   */
  readonly cache?: boolean;
  /**
   * Overlap a write (append, commit) with the next polls and folds. `runOnce` then returns once its
   * batch is folded; a write starts once ten polls' worth is folded or a poll comes back short, and
   * runs while later batches fold (up to twenty polls' worth, then `runOnce` waits for it). A
   * `runOnce` that returns 0, or {@link Aggregator.flush}, has waited for everything. Off by default:
   * the simulator steps services one after the other and expects each step's effects to be done.
   */
  readonly pipeline?: boolean;
}

/**
 * A running aggregator. `runOnce` folds what is on the event log now and returns how many records
 * it handled; `flush` waits for the append and commit still in flight (only with `pipeline`).
 */
export interface Aggregator {
  readonly runOnce: () => Effect.Effect<number, LogError>;
  readonly flush: () => Effect.Effect<void, LogError>;
}

/**
 * Starts an aggregator: rebuilds its snapshot from the state log (so a restart loses nothing), then
 * joins the consumer group. Each `runOnce` polls, folds, appends every change to the state log, and
 * commits only after that append succeeded; after a failure, the next `runOnce` folds the same batch
 * again (a no-op for what was already appended) before it polls anything new. Run one aggregator per
 * consumer group: its snapshot is its own, so a second member that took over partitions after a
 * rebalance would fold onto a stale snapshot. Closing the scope with a batch in flight (`pipeline`)
 * is a crash before its commit: the next member folds it again.
 *
 * @example
 * ```ts
 * const program = Effect.scoped(Effect.gen(function* () {
 *   const aggregator = yield* makeAggregator({ cache: true, pipeline: true });
 *   while ((yield* aggregator.runOnce()) > 0) {}
 * }));
 * ```
 */
export const makeAggregator = (
  options: AggregatorOptions = {},
): Effect.Effect<Aggregator, LogError, EventLog | StateLog | Scope.Scope> =>
  Effect.gen(function* () {
    const events = yield* EventLog;
    const stateLog = yield* StateLog;
    const scope = yield* Effect.scope;
    const group = options.group ?? consumerGroups.aggregator.group;
    const onDeadLetter = options.onDeadLetter ?? logDeadLetter;
    const onRejected = options.onRejected ?? logRejection;
    const cache = options.cache ?? false;
    // Reading the state log and joining the group, at once: a restart waits for the slower only.
    const [snapshot, member] = yield* Effect.all(
      [loadState(stateLog, group, onDeadLetter), events.consumer(group)],
      { concurrency: 2 },
    );
    const consumer = settlingConsumer(member, options.maxRecords ?? 500);
    // Folded and not yet written (`open`); being written (`pending`): newer than the snapshot, not
    // yet durable. The snapshot follows the state log only once an append is durable.
    let open = noBatches();
    let pending = new Map<string, StateMessage>();
    let inflight: Fiber.Fiber<void, LogError> | undefined;
    let writing = false;
    const current = (id: string) => pending.get(id) ?? snapshot.get(id);

    const write = (folded: FoldedBatches) =>
      Effect.gen(function* () {
        const appends = stateRecords(folded, cache);
        if (appends.length > 0) yield* stateLog.append(appends);
        for (const [rejection, record] of folded.rejected) yield* onRejected(rejection, record);
        yield* consumer.commit(folded.batches);
      });
    // After a failure, every uncommitted batch is polled and folded again, onto the durable snapshot.
    const failed = Effect.sync(() => {
      open = noBatches();
      pending = new Map();
      consumer.rewind();
    });
    // Waits for the write in flight.
    const settle = Effect.suspend(() => {
      const fiber = inflight;
      if (!fiber) return Effect.void;
      inflight = undefined;
      return Fiber.join(fiber).pipe(
        Effect.tap(() =>
          Effect.sync(() => {
            for (const [id, state] of pending) snapshot.set(id, state);
            pending = new Map();
          }),
        ),
        Effect.tapError(() => failed),
      );
    });
    // Starts writing what is open (after `settle`): the next batches fold while it runs.
    const startWrite = Effect.suspend(() => {
      const folded = open;
      if (folded.batches.length === 0) return Effect.void;
      open = noBatches();
      pending = folded.updates;
      writing = true;
      const done = Effect.sync(() => void (writing = false));
      // Started at once, not on the scheduler's next turn: its encode and its append request go out
      // now, and the broker works on them while the next polls fold.
      return Effect.map(
        Effect.forkIn(Effect.ensuring(write(folded), done), scope, { startImmediately: true }),
        (fiber) => {
          inflight = fiber;
        },
      );
    });
    const flush = () => Effect.andThen(settle, Effect.andThen(startWrite, settle));
    // The commit interval: a write starts once ten polls' worth is folded, or at once when a poll
    // comes back short (nothing more to read now); folding goes on while it runs, up to twenty.
    const max = options.maxRecords ?? 500;
    const minWrite = 10 * max;
    const openLimit = 20 * max;

    // One generator function for every run: a fresh `function*` per call costs V8 a new generator map.
    const runOnce = Effect.fnUntraced(function* () {
      // A write in flight progresses only when the event loop turns (its responses are I/O), and a
      // poll served from the consumer's buffer never lets it: so yield to it before each poll.
      if (writing) yield* Effect.yieldNow;
      const records = yield* consumer.poll();
      if (records.length === 0) {
        yield* flush();
        return 0;
      }
      const decoded = yield* decodeBatch(records, decodeEvent, group, onDeadLetter);
      if (!options.pipeline) {
        const folded = noBatches();
        foldBatch(folded, records, decoded, current, aggregateRecord, cache);
        yield* write(folded).pipe(Effect.tapError(() => failed));
        for (const [id, state] of folded.updates) snapshot.set(id, state);
        return records.length;
      }
      foldBatch(open, records, decoded, current, aggregateRecord, cache);
      // While a write runs, batches pile up in `open`, so the next write carries all of them and the
      // cache collapses across them.
      const size = open.records;
      if ((!writing && (size >= minWrite || records.length < max)) || size >= openLimit) {
        yield* settle;
        yield* startWrite;
      }
      return records.length;
    });
    return { runOnce, flush };
  });
