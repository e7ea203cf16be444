import type { AdmissionRecord } from "./admissions.js";
import { makeIncrementalDecision } from "./incremental-decision.js";
import type { StateMessage } from "./messages.js";
import { type OrchestratorAction, releaseDue } from "./orchestration-rules.js";
import { isTerminal, type Quotas } from "./scheduling.js";
import { keepNewestState } from "./state.js";

/**
 * Which entities the orchestrator still has to look at (issue 9, the simulator at scale). The
 * orchestrator decides after every poll, and most entities it has ever seen are finished: a terminal
 * entity whose admission was released (or that never had one) can produce no action any more, and is
 * only looked up, by id, as the dependency of another. Deciding over the ids that can still act keeps a
 * round's cost proportional to the live work, not to everything ever seen, with the same actions as a
 * decision over the whole snapshot. Whether an id can act depends only on its own state and its own
 * admission record, so the index re-files an id exactly when one of those two changes.
 *
 * The index also reports every change (a state, an admission record, a status produced) to its
 * incremental decision (`makeIncrementalDecision`), so that a decision costs what changed since the
 * last one, not the number of waiting entities.
 *
 * What was produced per id (`emitted`) is kept only while the id can act (issue 17: it grew with
 * every entity ever admitted). That drops nothing a decision reads: a mark is read only for a
 * non-terminal state, and a mark is of the version the entity was at when it was produced; an id
 * stops acting only at a terminal state, so every later state it reaches has a newer version, which
 * no mark dropped then can match.
 *
 * A finished id that cannot act keeps only its outcome in `entities`: its version, kind, status and
 * reason (and the small fields of its record), without spec, labels or message. A decision reads a
 * finished entity only as a dependency (is it terminal, did it succeed, its status and reason for
 * the FailedDependency message) or to re-file it when a newer state arrives (its version), and a
 * spec is read only while the entity is unfinished (its dependencies, its request). So a dependant
 * that arrives long after its dependency finished or failed decides as it would have at once, and
 * the orchestrator's heap per finished entity no longer grows with the size of the entity's spec.
 *
 * @module
 */

/**
 * Whether the orchestrator can still act on an entity or must count it: it is not terminal (it
 * waits, is admitted, holds quota or has dependencies to check), or it is terminal and its admission
 * is due a release. An admission without an entity produces nothing until the entity appears.
 *
 * @example
 * ```ts
 * mayAct(states.get("m1"), admissions.get("m1")); // false once m1 is Ready and released
 * ```
 */
export const mayAct = (state: StateMessage | undefined, admission: AdmissionRecord | undefined): boolean =>
  state !== undefined &&
  (!isTerminal(state.entity) || (admission !== undefined && releaseDue(state.entity, admission)));

/** An admission record with the key-value version it was read or written at (for compare-and-set). */
export interface HeldAdmission {
  readonly record: AdmissionRecord;
  readonly version: number;
}

/** The orchestrator's snapshot with the ids that can still act; change it only through its methods. */
export interface OrchestrationIndex {
  /** The newest state of every entity seen; of an id that cannot act, its outcome only (no spec, labels, message). */
  readonly entities: ReadonlyMap<string, StateMessage>;
  /** The admission records by id, kept current (never rebuilt per round). */
  readonly admissions: ReadonlyMap<string, AdmissionRecord>;
  /** What the orchestrator produced per id, as `emitMark(version, status, reason)`; only ids in `active`. */
  readonly emitted: ReadonlyMap<string, string>;
  /** The ids that can still act ({@link mayAct}); a live set, pruned as ids finish. */
  readonly active: ReadonlySet<string>;
  /** Keeps `state` if it is newer than the one held (see `keepNewestState`); true when kept. */
  readonly putState: (state: StateMessage) => boolean;
  /** Stores an admission record read or written at `version`. */
  readonly putAdmission: (record: AdmissionRecord, version: number) => void;
  /**
   * Records that the orchestrator produced `mark` (an `emitMark` of the id's current version) for
   * `id`; dropped when the id cannot act (no decision would read it).
   */
  readonly putEmitted: (id: string, mark: string) => void;
  /** The admission record of `id` with its version, if any. */
  readonly admission: (id: string) => HeldAdmission | undefined;
  /**
   * Exactly the actions of `decideOrchestration({ entities, admissions, quotas, emitted })`, in its
   * order, at a cost that follows what changed since the last call and the actions, not the number
   * of waiting entities (see `makeIncrementalDecision`).
   */
  readonly decide: () => OrchestratorAction[];
}

/**
 * Indexes a snapshot (taken over: change it through the index from now on) for accounts with these
 * quotas. Building it walks every entity once, the first decision every id that can act; after that
 * each change costs O(1) plus its share of the next decision.
 *
 * @example
 * ```ts
 * const index = makeOrchestrationIndex(yield* loadState(stateLog, group, onDeadLetter), quotas);
 * index.putState(message);
 * index.decide(); // as decideOrchestration({ ...index, quotas })
 * ```
 */
const finishedSpec: object = Object.freeze({});
const finishedLabels: Readonly<Record<string, string>> = Object.freeze({});
/** What a dependant or a newer state still reads of a finished entity: all but spec, labels and message. */
const outcomeOf = ({ version, entity }: StateMessage): StateMessage => ({
  version,
  entity: { ...entity, message: null, labels: finishedLabels, spec: finishedSpec },
});

export function makeOrchestrationIndex(
  entities: Map<string, StateMessage>,
  quotas: Quotas = {},
): OrchestrationIndex {
  const records = new Map<string, AdmissionRecord>();
  const versions = new Map<string, number>();
  const emitted = new Map<string, string>();
  const active = new Set<string>();
  const decision = makeIncrementalDecision({ entities, admissions: records, emitted, active }, quotas);
  const refile = (id: string) => {
    const state = entities.get(id);
    if (mayAct(state, records.get(id))) active.add(id);
    else {
      active.delete(id);
      emitted.delete(id);
      if (state && state.entity.spec !== finishedSpec) entities.set(id, outcomeOf(state));
    }
  };
  for (const id of entities.keys()) {
    refile(id);
    if (active.has(id)) decision.stateChanged(id);
  }
  return {
    entities,
    admissions: records,
    emitted,
    active,
    putState: (state) => {
      const kept = keepNewestState(entities, state);
      if (kept) {
        refile(state.entity.id);
        decision.stateChanged(state.entity.id);
      }
      return kept;
    },
    putAdmission: (record, version) => {
      records.set(record.id, record);
      versions.set(record.id, version);
      refile(record.id);
      decision.recordChanged(record.id);
    },
    putEmitted: (id, mark) => {
      if (!active.has(id)) return;
      emitted.set(id, mark);
      decision.recordChanged(id);
    },
    admission: (id) => {
      const record = records.get(id);
      return record && { record, version: versions.get(id)! };
    },
    decide: decision.decide,
  };
}
