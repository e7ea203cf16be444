import * as Effect from "effect/Effect";
import {
  Cluster,
  type ClusterCursor,
  type ClusterError,
  type ClusterObject,
  type Condition,
} from "../ports/Cluster.js";
import { EventLog } from "../ports/EventLog.js";
import { KeyValue, type KeyValueError } from "../ports/KeyValue.js";
import type { LogError } from "../ports/Log.js";
import { eventRecord } from "./messages.js";
import { dyffReason, terminalConditionTypes, workflowPlans } from "./plans.js";

/**
 * The workflows-informer (walkthrough step 10, status-catalog §1.7): reads the conditions of the
 * workflow objects on the cluster and produces status messages, only when they change. A workflow
 * object that disappears while its last status was not terminal becomes
 * `Terminated/KubernetesResourceDeleted`. What it last emitted per object is kept in the key-value
 * store (`informer/<name>`), so a restart neither repeats every status nor misses a deletion.
 *
 * @module
 */

/** A status as the informer reads it from conditions. */
export interface ObservedStatus {
  readonly status: string;
  readonly reason: string | null;
  readonly message: string | null;
  readonly at: string | null;
}

/** What the informer remembers about one workflow object. */
export interface InformerEntry {
  readonly kind: string;
  /** The last status it emitted for the object; null when it saw the object but nothing to emit yet. */
  readonly last: { readonly status: string; readonly reason: string | null } | null;
  /** The object is gone from the cluster (the entry stays, as the key-value store cannot delete). */
  readonly gone: boolean;
}

/** A status message to produce for entity `id`. */
export interface InformerEmit extends ObservedStatus {
  readonly id: string;
}

const isTerminal = (status: string) => (terminalConditionTypes as readonly string[]).includes(status);

/** Whether a status last emitted is the one a condition stands for. */
const sameAs = (a: { status: string; reason: string | null } | null, c: Condition) =>
  a !== null && a.status === c.type && a.reason === dyffReason(c);

/** A condition's status as an emit for `id` (the fields of {@link observed}, in its order). */
const emitted = (id: string, c: Condition): InformerEmit => ({
  id,
  status: c.type,
  reason: dyffReason(c),
  message: c.message === "" ? null : c.message,
  at: c.lastTransitionTime === "" ? null : c.lastTransitionTime,
});

const observed = (c: Condition): ObservedStatus => ({
  status: c.type,
  reason: dyffReason(c),
  message: c.message === "" ? null : c.message,
  at: c.lastTransitionTime === "" ? null : c.lastTransitionTime,
});

/**
 * The statuses a workflow object's conditions stand for, in the order they happened: the `Admitted`
 * condition (`Admitted` or `Admitted/Unverified`), then the first terminal condition that is True
 * (Dyff's rule: the condition type is the status, its reason the reason). Emitting the Admitted stage
 * before the terminal one keeps the sequence one the machine accepts even when the informer looked
 * too late to see the stage change on its own.
 *
 * @example
 * ```ts
 * statusesFromConditions([admittedUnverified, complete]).map((s) => s.status); // ["Admitted", "Complete"]
 * ```
 */
export function statusesFromConditions(conditions: readonly Condition[]): ObservedStatus[] {
  const out: ObservedStatus[] = [];
  const admitted = conditions.find((c) => c.type === "Admitted" && c.status === "True");
  if (admitted) out.push(observed(admitted));
  const terminal = conditions.find((c) => c.status === "True" && isTerminal(c.type));
  if (terminal) out.push(observed(terminal));
  return out;
}

/**
 * Decides what to emit for the objects observed now, given what was emitted before. Returns the
 * messages and the memory entries that changed. Emits only the statuses after the last one emitted;
 * a remembered object that is no longer listed ends as Terminated/KubernetesResourceDeleted unless
 * its last status was terminal.
 *
 * @example
 * ```ts
 * const { emits, changed } = observeWorkflows(memory, objects, now);
 * ```
 */
export function observeWorkflows(
  memory: ReadonlyMap<string, InformerEntry>,
  objects: readonly ClusterObject[],
  now: string,
): { emits: InformerEmit[]; changed: Map<string, InformerEntry> } {
  const listed = new Set(objects.map((o) => o.name));
  return observeChanges(
    memory,
    objects,
    [...memory.keys()].filter((name) => !listed.has(name)),
    now,
  );
}

/**
 * {@link observeWorkflows} for what changed: the objects written or created since the last look,
 * and the names of those deleted since (names the memory does not hold, or holds as gone, are
 * ignored). Given the changes since the last look, it decides what a full look would.
 *
 * @example
 * ```ts
 * const { emits, changed } = observeChanges(memory, changedObjects, ["e7"], now);
 * ```
 */
export function observeChanges(
  memory: ReadonlyMap<string, InformerEntry>,
  objects: readonly ClusterObject[],
  deleted: readonly string[],
  now: string,
): { emits: InformerEmit[]; changed: Map<string, InformerEntry> } {
  const emits: InformerEmit[] = [];
  const changed = new Map<string, InformerEntry>();
  for (const o of objects) {
    const entry = memory.get(o.name);
    const before = entry?.last ?? null;
    // `statusesFromConditions` without its array: the Admitted stage, then the terminal condition;
    // what comes after the last one emitted is fresh (the two never share a status).
    let admitted: Condition | undefined;
    let terminal: Condition | undefined;
    for (const c of o.conditions) {
      if (c.status !== "True") continue;
      if (admitted === undefined && c.type === "Admitted") admitted = c;
      else if (terminal === undefined && isTerminal(c.type)) terminal = c;
    }
    let last: InformerEmit | undefined;
    if (!(terminal && sameAs(before, terminal))) {
      if (admitted && !sameAs(before, admitted)) emits.push((last = emitted(o.name, admitted)));
      if (terminal) emits.push((last = emitted(o.name, terminal)));
    }
    if (!entry || entry.gone || last)
      changed.set(o.name, {
        kind: o.kind,
        last: last ? { status: last.status, reason: last.reason } : (entry?.last ?? null),
        gone: false,
      });
  }
  for (const name of deleted) {
    const entry = memory.get(name);
    if (!entry || entry.gone) continue;
    const status = entry.last?.status;
    if (status === undefined || !isTerminal(status)) {
      const deleted = { status: "Terminated", reason: "KubernetesResourceDeleted" };
      emits.push({
        id: name,
        ...deleted,
        message: "the workflow's Kubernetes resource was deleted",
        at: now,
      });
      changed.set(name, { kind: entry.kind, last: deleted, gone: true });
    } else changed.set(name, { ...entry, gone: true });
  }
  return { emits, changed };
}

const memoryPrefix = "informer/";
const workflowKinds = Object.keys(workflowPlans);
const kindRank = new Map(workflowKinds.map((k, i) => [k, i]));
/** The order a full look lists objects in: by kind as `workflowPlans` lists them, then by name. */
const passOrder = (a: ClusterObject, b: ClusterObject) =>
  kindRank.get(a.kind)! - kindRank.get(b.kind)! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function parseEntry(text: string): InformerEntry | undefined {
  try {
    const e = JSON.parse(text) as Partial<InformerEntry>;
    return typeof e.kind === "string" && typeof e.gone === "boolean" && e.last !== undefined
      ? (e as InformerEntry)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A running informer; `runOnce(now)` observes the cluster once and returns how many messages it produced. */
export interface Informer {
  readonly runOnce: (now: string) => Effect.Effect<number, ClusterError | LogError | KeyValueError>;
}

/**
 * Starts an informer: loads what it last emitted from the key-value store. Each `runOnce(now)` reads
 * the cluster's change feed for the workflow objects of every kind that computes (all of them on the
 * first run; objects owned by another object are steps, not tracked), produces the status messages
 * for what changed, then records them in the key-value store. A crash between the two produces the
 * messages again: a duplicate status is a no-op downstream.
 *
 * @example
 * ```ts
 * const informer = yield* makeInformer();
 * yield* informer.runOnce("2026-01-01T00:00:10Z");
 * ```
 */
export const makeInformer = (): Effect.Effect<Informer, KeyValueError, Cluster | EventLog | KeyValue> =>
  Effect.gen(function* () {
    const cluster = yield* Cluster;
    const events = yield* EventLog;
    const kv = yield* KeyValue;
    const memory = new Map<string, InformerEntry>();
    const versions = new Map<string, number>();
    for (const [key, v] of yield* kv.list(memoryPrefix)) {
      versions.set(key, v.version);
      const entry = parseEntry(v.value);
      if (entry) memory.set(key.slice(memoryPrefix.length), entry);
      else yield* Effect.logWarning(`workflows-informer: ignoring unreadable ${key}: ${v.value}`);
    }

    const remember = Effect.fnUntraced(function* (name: string, entry: InformerEntry) {
      const key = memoryPrefix + name;
      let version = yield* kv.compareAndSet(key, versions.get(key) ?? null, JSON.stringify(entry));
      // Only one informer writes these keys; a lost race means our cached version was stale.
      if (version === null)
        version = yield* kv.compareAndSet(key, (yield* kv.get(key))?.version ?? null, JSON.stringify(entry));
      if (version !== null) versions.set(key, version);
      memory.set(name, entry);
    });

    let cursor: ClusterCursor | null = null;
    /** When each remembered name was first remembered: deletions are reported in that order, as a full look would. */
    const rank = new Map<string, number>();
    const ranked = (name: string) => {
      if (!rank.has(name)) rank.set(name, rank.size);
      return rank.get(name)!;
    };
    for (const name of memory.keys()) ranked(name);

    // Generator functions made once (`fnUntraced`), not per call: a fresh `function*` costs V8 a new map.
    const runOnce = Effect.fnUntraced(function* (now: string) {
      const changes = yield* cluster.changes(workflowKinds, cursor);
      // Objects owned by another object are steps (an InferenceSession can be either), not tracked.
      const objects = changes.objects.filter((o) => o.owner === null).sort(passOrder);
      const { emits, changed } = changes.full
        ? observeWorkflows(memory, objects, now)
        : observeChanges(
            memory,
            objects,
            changes.deleted.map((d) => d.name).sort((a, b) => ranked(a) - ranked(b)),
            now,
          );
      if (emits.length > 0)
        yield* events.append(
          emits.map(({ id, status, reason, message, at }) =>
            eventRecord(id, {
              type: "Status",
              status,
              reason,
              message,
              author: "informer",
              at: at ?? now,
            }),
          ),
        );
      for (const [name, entry] of changed) {
        ranked(name);
        yield* remember(name, entry);
      }
      cursor = changes.cursor;
      return emits.length;
    });
    return { runOnce };
  });
