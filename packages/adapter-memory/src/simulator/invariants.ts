import {
  type AnyDyffKind,
  type ClusterObject,
  DecodeError,
  type DyffEntity,
  dyffKinds,
  type LogRecord,
  type StateMessage,
  TransitionError,
  type ViewDocument,
} from "@phasekit/core";
import { stateOf } from "./decoded.js";
import type { Recorder } from "./recorder.js";
import { sameJson } from "./same-json.js";
import type { TimelineEntry } from "./timeline.js";

/**
 * The invariants every simulation must keep (issue 5, item 6), as pure checks over what the run left
 * behind. Each returns its name, whether it held, and what broke.
 *
 * @module
 */

/** The outcome of one invariant. */
export interface InvariantResult {
  readonly name: string;
  readonly held: boolean;
  /** What broke (the first few cases), or null when it held. */
  readonly detail: string | null;
}

/** The lifecycle of a Dyff kind by name (undefined for a name Dyff does not have). */
export const lifecycleOf = (kind: string) =>
  (dyffKinds as Readonly<Record<string, AnyDyffKind>>)[kind]?.lifecycle;

const result = (name: string, problems: readonly string[]): InvariantResult => ({
  name,
  held: problems.length === 0,
  detail:
    problems.length === 0 ? null : problems.slice(0, 5).join("; ") + (problems.length > 5 ? "; ..." : ""),
});

/**
 * The newest state of each id on a state log, from its records (compacted or not).
 *
 * @example
 * ```ts
 * stateFromLog(backend.state.records()).get("e1")?.entity.status; // "Complete"
 * ```
 */
export function stateFromLog(records: readonly LogRecord<StateMessage>[]): Map<string, StateMessage> {
  const states = new Map<string, StateMessage>();
  for (const r of records) {
    const s = stateOf(r);
    if (s instanceof DecodeError) continue;
    const held = states.get(s.entity.id);
    if (!held || held.version < s.version) states.set(s.entity.id, s);
  }
  return states;
}

const canonical = (version: number, entity: unknown) => JSON.stringify({ version, entity });

/** A view document equals a state as `canonical` compares them, told with one text written instead of three. */
function viewEqualsState(d: ViewDocument, s: StateMessage): boolean {
  if (d.version === s.version && Number.isFinite(d.version)) {
    // The sink writes a document's text with `JSON.stringify(entity)`: when that is the text, the
    // parsed text writes it again (JSON text that `JSON.stringify` wrote reads back to the same text).
    if (d.value === JSON.stringify(s.entity)) {
      return true;
    }
  }
  return canonical(d.version, JSON.parse(d.value)) === canonical(s.version, s.entity);
}

/** Two states equal as `canonical` compares them. */
const statesEqual = (a: StateMessage, b: StateMessage) =>
  a.version === b.version && Number.isFinite(a.version)
    ? sameJson(a.entity, b.entity)
    : canonical(a.version, a.entity) === canonical(b.version, b.entity);

/**
 * The query view equals the compacted state log equals a replay of the event log from offset zero.
 * Compared as JSON texts of `{ version, entity }` (the view's text parsed first), each id once, in
 * id order; the texts are written only where a difference is reported or a walk cannot tell
 * ({@link sameJson}).
 *
 * @example
 * ```ts
 * checkConsistency(backend.view.documents(), stateFromLog(backend.state.records()), replayEvents(backend.events.records())).held;
 * ```
 */
export function checkConsistency(
  view: readonly ViewDocument[],
  compactedState: ReadonlyMap<string, StateMessage>,
  replay: ReadonlyMap<string, StateMessage>,
): InvariantResult {
  const name = "the query view equals the compacted state log equals a replay of the event log";
  return result(name, inOrder(view, compactedState, replay) ?? anyOrder(view, compactedState, replay));
}

/**
 * Each id's problems, the view's documents in order, when the three hold the same ids and the view
 * lists them sorted (a memory view always does): the ids {@link anyOrder} would sort. Null when not.
 */
function inOrder(
  view: readonly ViewDocument[],
  compactedState: ReadonlyMap<string, StateMessage>,
  replay: ReadonlyMap<string, StateMessage>,
): string[] | null {
  if (compactedState.size !== view.length || replay.size !== view.length) return null;
  const problems: string[] = [];
  let previous: string | null = null;
  for (const d of view) {
    const s = compactedState.get(d.id);
    const r = replay.get(d.id);
    if ((previous !== null && !(previous < d.id)) || s === undefined || r === undefined) return null;
    previous = d.id;
    compare(d.id, d, s, r, problems);
  }
  return problems;
}

function anyOrder(
  view: readonly ViewDocument[],
  compactedState: ReadonlyMap<string, StateMessage>,
  replay: ReadonlyMap<string, StateMessage>,
): string[] {
  const problems: string[] = [];
  for (const d of view) JSON.parse(d.value); // every text parses, or the check throws as it always did
  const viewById = new Map(view.map((d) => [d.id, d] as const));
  const ids = [...new Set([...viewById.keys(), ...compactedState.keys(), ...replay.keys()])].sort();
  for (const id of ids) compare(id, viewById.get(id), compactedState.get(id), replay.get(id), problems);
  return problems;
}

function compare(
  id: string,
  d: ViewDocument | undefined,
  s: StateMessage | undefined,
  r: StateMessage | undefined,
  problems: string[],
): void {
  const viewHeld = d === undefined ? s === undefined : s !== undefined && viewEqualsState(d, s);
  const replayHeld = r === undefined ? s === undefined : s !== undefined && statesEqual(r, s);
  if (viewHeld && replayHeld) return;
  const state = s && canonical(s.version, s.entity);
  if (!viewHeld) {
    const shown = d && canonical(d.version, JSON.parse(d.value));
    problems.push(`${id}: the view holds ${shown ?? "nothing"}, the state log ${state ?? "nothing"}`);
  }
  if (!replayHeld) {
    const replayed = r && canonical(r.version, r.entity);
    problems.push(`${id}: the replay gives ${replayed ?? "nothing"}, the state log ${state ?? "nothing"}`);
  }
}

/**
 * No workflow entered Admitted twice, and no workflow object was created twice on the cluster.
 *
 * @example
 * ```ts
 * checkAdmittedOnce(simulation.recorder).detail; // null, or "e1 entered Admitted 2 times"
 * ```
 */
export function checkAdmittedOnce(recorder: Recorder): InvariantResult {
  const problems: string[] = [];
  for (const [id, versions] of recorder.stateHistory) {
    let admissions = 0;
    let previous = "";
    for (const { entity } of versions) {
      if (entity.status === "Admitted" && previous !== "Admitted") admissions++;
      previous = entity.status;
    }
    if (admissions > 1) problems.push(`${id} entered Admitted ${admissions} times`);
  }
  for (const [key, n] of recorder.workflowCreates)
    if (n > 1) problems.push(`${key} was created ${n} times on the cluster`);
  return result("nothing was admitted twice", problems);
}

/** An account's limits; an absent field is unlimited. */
export interface QuotaLimits {
  readonly gpu?: number | undefined;
  readonly cpu?: number | undefined;
  readonly memoryGiB?: number | undefined;
  /** Workflows admitted at once (each holds one slot until it ends). */
  readonly slots?: number | undefined;
}

const quotaFields = ["gpu", "cpu", "memoryGiB", "slots"] as const;

/**
 * What each account holds now: every workflow object on the cluster whose entity is not terminal on
 * the state log counts its request and one slot. Returns one line per limit exceeded.
 *
 * @example
 * ```ts
 * quotaBreaches(workflowObjects, (id) => latest.get(id), { alice: { gpu: 1 } }); // ["alice held gpu 2 > quota 1"]
 * ```
 */
export function quotaBreaches(
  workflows: readonly ClusterObject[],
  entityOf: (id: string) => DyffEntity | undefined,
  limits: Readonly<Record<string, QuotaLimits>>,
): string[] {
  const held = new Map<string, Record<(typeof quotaFields)[number], number>>();
  for (const o of workflows) {
    const entity = entityOf(o.name);
    if (!entity || lifecycleOf(entity.kind)?.isTerminal(entity.status) !== false) continue;
    const r = (o.spec as { request?: Partial<Record<string, number>> } | null)?.request ?? {};
    const sum = held.get(entity.account) ?? { gpu: 0, cpu: 0, memoryGiB: 0, slots: 0 };
    sum.gpu += r.gpu ?? 0;
    sum.cpu += r.cpu ?? 0;
    sum.memoryGiB += r.memoryGiB ?? 0;
    sum.slots += 1;
    held.set(entity.account, sum);
  }
  const breaches: string[] = [];
  for (const [account, sum] of held) {
    for (const f of quotaFields) {
      const limit = limits[account]?.[f];
      if (limit !== undefined && sum[f] > limit)
        breaches.push(`${account} held ${f} ${sum[f]} > quota ${limit}`);
    }
  }
  return breaches;
}

/**
 * No quota was exceeded at any step (the breaches the run collected, stamped).
 *
 * @example
 * ```ts
 * checkQuota(simulation.breaches).held;
 * ```
 */
export const checkQuota = (breaches: readonly string[]): InvariantResult =>
  result("no quota was ever exceeded", breaches);

/**
 * Every status sequence is one the machines accept: each version the aggregator wrote is one step
 * of the kind's machine from the one before, and what the view showed of an entity is that sequence
 * or a part of it, in order.
 *
 * @example
 * ```ts
 * checkSequences(simulation.recorder, simulation.timeline).held;
 * ```
 */
export function checkSequences(recorder: Recorder, timeline: readonly TimelineEntry[]): InvariantResult {
  const problems: string[] = [];
  for (const [id, versions] of recorder.stateHistory) {
    for (let i = 1; i < versions.length; i++) {
      const before = versions[i - 1]!.entity;
      const after = versions[i]!.entity;
      const lc = lifecycleOf(after.kind)!;
      const moved = lc.moveTo(
        {
          status: before.status,
          reason: before.reason,
          message: before.message,
          lastTransitionTime: before.lastTransitionTime,
        },
        { status: after.status, reason: after.reason },
      );
      if (moved instanceof TransitionError) problems.push(`${id}: ${moved.message}`);
      if (versions[i]!.version !== versions[i - 1]!.version + 1)
        problems.push(`${id}: version ${versions[i]!.version} follows ${versions[i - 1]!.version}`);
    }
  }
  // One pass over the timeline: each id's place in what the state log has, and its first problem,
  // reported in order of the ids' first appearance (as a walk of `sequences(timeline)` reports them).
  const places = new Map<
    string,
    { readonly written: readonly StateMessage[]; at: number; problem: string | null }
  >();
  for (const e of timeline) {
    let place = places.get(e.id);
    if (place === undefined) {
      place = { written: recorder.stateHistory.get(e.id) ?? [], at: 0, problem: null };
      places.set(e.id, place);
    }
    if (place.problem !== null) continue;
    const { written } = place;
    while (place.at < written.length && !sameStep(written[place.at]!.entity, e)) place.at++;
    if (place.at === written.length) {
      const shown = written.map((v) => `${v.entity.status}/${v.entity.reason}`).join(" -> ");
      place.problem = `${e.id}: the view showed ${e.status}/${e.reason} out of the order the state log has (${shown})`;
    }
  }
  for (const place of places.values()) if (place.problem !== null) problems.push(place.problem);
  return result("every status sequence is one the machines accept", problems);
}

/** `status/reason` of a version and of a timeline entry are the same text. */
const sameStep = (v: DyffEntity, e: TimelineEntry) =>
  (v.status === e.status && v.reason === e.reason) || `${v.status}/${v.reason}` === `${e.status}/${e.reason}`;

/** A final status, as compared between runs. */
export interface FinalStatus {
  readonly system: string;
  readonly kind: string;
  readonly id: string;
  readonly status: string;
  readonly reason: string | null;
}

/**
 * The final statuses equal those of the same scenario run with no faults.
 *
 * @example
 * ```ts
 * checkSameAsWithoutFaults(finalStatuses(faulty), finalStatuses(clean)).detail; // "m1 ended ... with faults, ... without"
 * ```
 */
export function checkSameAsWithoutFaults(
  final: readonly FinalStatus[],
  baseline: readonly FinalStatus[] | null,
): InvariantResult {
  const name = "the final statuses equal those of the same run without faults";
  if (baseline === null) return result(name, []);
  const show = (f: FinalStatus | undefined) =>
    f ? `${f.status}${f.reason ? `/${f.reason}` : ""}` : "absent";
  const base = new Map(baseline.map((f) => [f.id, f] as const));
  const ours = new Map(final.map((f) => [f.id, f] as const));
  const problems: string[] = [];
  for (const id of [...new Set([...base.keys(), ...ours.keys()])].sort()) {
    if (show(ours.get(id)) !== show(base.get(id)))
      problems.push(`${id} ended ${show(ours.get(id))} with faults, ${show(base.get(id))} without`);
  }
  return result(name, problems);
}
