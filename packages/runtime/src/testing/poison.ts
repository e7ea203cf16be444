import {
  type AdmissionRecord,
  admissionPrefix,
  type ControlPlanePorts,
  type DeadLetter,
  type DeadLetterHook,
  DecodeError,
  decodeAdmission,
  decodeState,
  EventLog,
  encodeEvent,
  KeyValue,
  type LogError,
  type LogRecord,
  makeControlPlane,
  newEntity,
  type ProducerRecord,
  replayEvents,
  StateLog,
  type StateMessage,
  ViewStore,
} from "@phasekit/core";
import { Effect } from "effect";
import { quotaBreaches } from "../../../../scripts/reliability/measures.js";

/**
 * Poison messages for the reliability figures (RELIABILITY.md): the whole control plane (aggregator,
 * sink, orchestrator, operator, informer) runs a quota-bound workload on any backend's ports while
 * malformed records are appended to the topics it consumes (the event log: the aggregator; the
 * state log: the sink and the orchestrator). Each malformed record must be dead-lettered, once per
 * consumer that reads it, with an error naming the field, and cost nothing else: no status change
 * lost, nothing admitted twice, no quota exceeded, the view equal to the state log.
 *
 * The workload: Models of three accounts, two slots each; a client terminates each Model once it
 * is Admitted, which frees its slot for the next one (nothing runs the work itself).
 *
 * @module
 */

/** The accounts' quotas of the workload. */
export const poisonQuotas = { "acct-0": { slots: 2 }, "acct-1": { slots: 2 }, "acct-2": { slots: 2 } };

/** Malformed records to append in one round, on one topic; `keys` are entities still unfinished. */
export type PoisonSource = (round: number, keys: readonly string[]) => readonly ProducerRecord[];

export interface PoisonOptions {
  readonly entities: number;
  readonly events: PoisonSource;
  readonly state: PoisonSource;
  /** Where the dead letters go (the test keeps them; the Kafka adapter's hook also writes the DLQ topic). */
  readonly onDeadLetter: DeadLetterHook;
  /** Rounds before the run gives up (default 200). */
  readonly maxRounds?: number;
}

/** What a run did and cost. */
export interface PoisonRun {
  readonly entities: number;
  readonly rounds: number;
  /** Status versions written for the workload's entities. */
  readonly versions: number;
  /** Malformed records appended, by topic. */
  readonly injected: { readonly events: number; readonly state: number };
  /** Every version of every workload entity, from the state log. */
  readonly histories: ReadonlyMap<string, readonly StateMessage[]>;
  /** Statuses an entity should have gone through (Created, Admitted, Terminated) and did not, summed. */
  readonly lostStatusChanges: number;
  /** Entities whose last state is not the replay of their events, or whose view is not their last state. */
  readonly inconsistent: readonly string[];
  readonly doubleAdmissions: number;
  /** Admissions that took an account over its slots (from the admission records' times). */
  readonly quotaBreaches: number;
  readonly ledger: ReadonlyMap<string, AdmissionRecord>;
}

const time = (round: number, step = 0) => new Date(Date.UTC(2026, 0, 1, 0, round, step)).toISOString();
const id = (i: number) => `m-${i}`;
const account = (i: number) => `acct-${i % 3}`;

function history(records: readonly LogRecord[], ids: ReadonlySet<string>) {
  const byId = new Map<string, Map<number, StateMessage>>();
  for (const r of records) {
    if (!ids.has(r.key)) continue;
    const s = decodeState(r.key, r.value);
    if (s instanceof DecodeError) continue; // a poisoned record under a real key: dead-lettered
    const versions = byId.get(r.key) ?? new Map<number, StateMessage>();
    versions.set(s.version, s);
    byId.set(r.key, versions);
  }
  return new Map(
    [...byId].map(([k, v]) => [k, [...v.values()].sort((a, b) => a.version - b.version)] as const),
  );
}

/**
 * Runs the workload with poison on both topics, then measures what it cost.
 *
 * @example
 * ```ts
 * const run = await Effect.runPromise(
 *   Effect.scoped(runWithPoison({ entities: 24, events: () => [], state: () => [], onDeadLetter })).pipe(
 *     Effect.provide(layerMemory()),
 *   ),
 * );
 * run.lostStatusChanges; // 0
 * ```
 */
export const runWithPoison = (options: PoisonOptions) =>
  Effect.gen(function* () {
    const events = yield* EventLog;
    const stateLog = yield* StateLog;
    const ids = new Set(Array.from({ length: options.entities }, (_, i) => id(i)));
    const plane = yield* makeControlPlane({ quotas: poisonQuotas, onDeadLetter: options.onDeadLetter });
    const creates: ProducerRecord[] = [];
    for (let i = 0; i < options.entities; i++) {
      const entity = newEntity({ kind: "Model", id: id(i), account: account(i), spec: {} }, time(0, i % 60));
      if (entity instanceof DecodeError) throw entity;
      creates.push({ key: id(i), value: encodeEvent({ type: "Create", entity }) });
    }
    yield* events.append(creates);
    const injected = { events: 0, state: 0 };
    const terminated = new Set<string>();
    const latest = new Map<string, string>();
    let round = 0;
    const maxRounds = options.maxRounds ?? 200;
    for (; round < maxRounds; round++) {
      const open = [...ids].filter((k) => latest.get(k) !== "Terminated");
      if (open.length === 0) break;
      const badEvents = options.events(round, open);
      const badStates = options.state(round, open);
      if (badEvents.length > 0) yield* events.append(badEvents);
      if (badStates.length > 0) yield* stateLog.append(badStates);
      injected.events += badEvents.length;
      injected.state += badStates.length;
      yield* plane.settle(time(round + 1));
      // The client: reads what the state log says and terminates each Model it sees Admitted.
      for (const [k, versions] of history(yield* stateLog.readAll(), ids))
        latest.set(k, versions.at(-1)!.entity.status);
      const terminates = [...latest]
        .filter(([k, status]) => status === "Admitted" && !terminated.has(k))
        .map(([k]) => {
          terminated.add(k);
          const i = Number(k.slice(2));
          return {
            key: k,
            value: encodeEvent({ type: "Terminate", by: account(i), at: time(round + 1, 30) }),
          };
        });
      if (terminates.length > 0) yield* events.append(terminates);
    }
    yield* plane.settle(time(round + 2));
    return yield* measure(options.entities, ids, round, injected);
  });

const measure = (
  entities: number,
  ids: ReadonlySet<string>,
  rounds: number,
  injected: PoisonRun["injected"],
): Effect.Effect<PoisonRun, LogError | unknown, ControlPlanePorts> =>
  Effect.gen(function* () {
    const histories = history(yield* (yield* StateLog).readAll(), ids);
    const replayed = replayEvents((yield* (yield* EventLog).readAll()).filter((r) => ids.has(r.key)));
    const view = yield* ViewStore;
    const stored = yield* (yield* KeyValue).list(admissionPrefix);
    const ledger = new Map<string, AdmissionRecord>();
    for (const [key, v] of stored) {
      const record = decodeAdmission(key, v.value);
      if (record instanceof DecodeError) throw record;
      ledger.set(record.id, record);
    }
    let lost = 0;
    let doubles = 0;
    let versions = 0;
    const inconsistent: string[] = [];
    for (const k of ids) {
      const own = histories.get(k) ?? [];
      versions += own.length;
      const statuses = own.map((v) => v.entity.status).filter((s, i, all) => s !== all[i - 1]);
      lost += ["Created", "Admitted", "Terminated"].filter((s) => !statuses.includes(s)).length;
      if (statuses.filter((s) => s === "Admitted").length > 1) doubles++;
      const last = own.at(-1);
      const doc = yield* view.get(k);
      if (JSON.stringify(last) !== JSON.stringify(replayed.get(k))) inconsistent.push(`${k}: state log`);
      else if (!doc || JSON.stringify(JSON.parse(doc.value)) !== JSON.stringify(last?.entity))
        inconsistent.push(`${k}: view`);
    }
    return {
      entities,
      rounds,
      versions,
      injected,
      histories,
      lostStatusChanges: lost,
      inconsistent,
      doubleAdmissions: doubles,
      quotaBreaches: quotaBreaches(ledger.values(), poisonQuotas),
      ledger,
    } satisfies PoisonRun;
  });

/** The dead letters a run's hook received, and a hook that keeps them (after `also`, if given). */
export function collectDeadLetters(also?: DeadLetterHook): {
  readonly letters: DeadLetter[];
  readonly hook: DeadLetterHook;
} {
  const letters: DeadLetter[] = [];
  return {
    letters,
    hook: (l) =>
      Effect.andThen(
        also ? also(l) : Effect.void,
        Effect.sync(() => void letters.push(l)),
      ),
  };
}
