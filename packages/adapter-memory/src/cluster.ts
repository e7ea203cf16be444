import {
  type ClusterChanges,
  ClusterError,
  type ClusterObject,
  type ClusterShape,
  type Condition,
  type NewClusterObject,
  sameConditions,
} from "@phasekit/core";
import { Effect } from "effect";
import { ClusterJournal } from "./cluster-journal.js";
import type { MemoryFaults } from "./faults.js";
import type { Prng } from "./prng.js";

/** The memory cluster: the port, and what is stored now (never lagging). */
export interface MemoryCluster {
  readonly port: ClusterShape;
  /** Every object as stored now, by kind then name. */
  readonly objects: () => readonly ClusterObject[];
  /** One object as stored now (the port's `get` may lag behind, this never does). */
  readonly get: (kind: string, name: string) => ClusterObject | undefined;
  /** How many writes the cluster has taken; the `resourceVersion` of the latest written object. */
  readonly revision: () => number;
  /** The port's change feed as the cluster is now (never lagging, and it moves no read position). */
  readonly changesNow: (kinds: readonly string[], cursor: string | null) => ClusterChanges;
}

const keyOf = (kind: string, name: string) => `${kind}/${name}`;

/**
 * A frozen deep copy of a spec. Specs are JSON data (the API server stores JSON); this is several
 * times cheaper than `structuredClone`, which the simulator paid on every object it created.
 */
function frozenCopy(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy));
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = frozenCopy((value as Record<string, unknown>)[key]);
  return Object.freeze(copy);
}
/**
 * The Set of a list of kinds, made once per list (the services ask with the same list every time),
 * and made again if the list's contents changed since.
 */
const kindSets = new WeakMap<
  readonly string[],
  { readonly copy: readonly string[]; readonly set: ReadonlySet<string> }
>();
function kindSet(kinds: readonly string[]): ReadonlySet<string> {
  let cached = kindSets.get(kinds);
  if (!cached || cached.copy.length !== kinds.length || cached.copy.some((k, i) => k !== kinds[i]))
    kindSets.set(kinds, (cached = { copy: [...kinds], set: new Set(kinds) }));
  return cached.set;
}
/** The conditions of a new object: one frozen empty list for all. */
const noConditions: readonly Condition[] = Object.freeze([]);
const byName = (a: ClusterObject, b: ClusterObject) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const byKindThenName = (a: ClusterObject, b: ClusterObject) =>
  a.kind === b.kind ? byName(a, b) : a.kind < b.kind ? -1 : 1;

/**
 * Kubernetes' object storage, in memory: create, delete with owner cascade, get, list, the change
 * feed, and status writes guarded by `resourceVersion`. Objects are immutable; the store keeps them
 * by kind, with an index of owners for the cascade, so a write costs the same with ten objects or a
 * million. A read that lags (the `staleReads` fault) returns a state the cluster really was in,
 * rebuilt from the journal's record of what each recent write replaced. It stores; it does not run
 * anything: workloads progress only when someone writes their conditions.
 *
 * @example
 * ```ts
 * const cluster = makeMemoryCluster(makePrng(1), () => noFaults);
 * const job = Effect.runSync(cluster.port.create({ kind: "Job", name: "e1-client", labels: {}, owner: "e1", spec: {} }));
 * job.resourceVersion; // "1"
 * ```
 */
export function makeMemoryCluster(prng: Prng, faults: () => MemoryFaults): MemoryCluster {
  const byKind = new Map<string, Map<string, ClusterObject>>();
  /** Each kind's objects sorted by name, built on the first list after a write to the kind. */
  const sorted = new Map<string, readonly ClusterObject[]>();
  /** Owner name -> the keys of the objects it owns (owners are named without a kind, as here). */
  const owned = new Map<string, Set<string>>();
  const journal = new ClusterJournal();
  let revision = 0;
  /** The write the last read reflected: reads never go back before it. */
  let seen = 0;
  /** Lagging reads in a row: after `staleReads` of them the next read is current (the cache catches up). */
  let staleReads = 0;

  const error = (
    operation: string,
    kind: string,
    name: string,
    code: ClusterError["code"],
    message: string,
  ) => Effect.fail(new ClusterError({ operation, kind, name, code, message }));

  const stored = (kind: string, name: string) => byKind.get(kind)?.get(name);
  const objectsOf = (kind: string) => {
    let objects = byKind.get(kind);
    if (!objects) byKind.set(kind, (objects = new Map()));
    return objects;
  };

  /** Puts (or, with undefined, removes) one object as part of write `revision`, journaling what it replaced. */
  const put = (kind: string, name: string, next: ClusterObject | undefined) => {
    const objects = objectsOf(kind);
    const before = objects.get(name);
    if (next) objects.set(name, next);
    else objects.delete(name);
    sorted.delete(kind);
    const owner = (next ?? before)!.owner;
    if (owner !== null) {
      let keys = owned.get(owner);
      if (next) {
        if (!keys) owned.set(owner, (keys = new Set()));
        keys.add(keyOf(kind, name));
      } else keys?.delete(keyOf(kind, name));
    }
    journal.record(revision, kind, name, before, faults().staleReads);
  };

  /** The state of one object after write `at` (now, or up to `staleReads` writes back). */
  const objectAt = (kind: string, name: string, at: number) =>
    journal.rewind(kind, name, stored(kind, name), at);

  const listAt = (kind: string, at: number): readonly ClusterObject[] => {
    if (at === revision) {
      let list = sorted.get(kind);
      if (!list) sorted.set(kind, (list = [...objectsOf(kind).values()].sort(byName)));
      return list;
    }
    return journal.rewindKind(kind, objectsOf(kind), at).sort(byName);
  };

  const changesAt = (kinds: readonly string[], cursor: string | null, at: number): ClusterChanges => {
    const since = cursor === null ? undefined : journal.validCursor(cursor, at);
    if (since === undefined)
      return {
        cursor: journal.cursor(at),
        full: true,
        objects: kinds.flatMap((k) => listAt(k, at)),
        deleted: [],
      };
    // Nothing written since: most looks of a settle's rounds (no Set, no walk of the feed).
    if (since === at) return { cursor: journal.cursor(at), full: false, objects: [], deleted: [] };
    const objects: ClusterObject[] = [];
    const deleted: { kind: string; name: string }[] = [];
    for (const { kind, name } of journal.changed(kindSet(kinds), since, at)) {
      const o = objectAt(kind, name, at);
      if (o) objects.push(o);
      else deleted.push({ kind, name });
    }
    return { cursor: journal.cursor(at), full: false, objects: objects.sort(byKindThenName), deleted };
  };

  /** The write a read sees: now, or (with lag) a past one no older than the last read's. */
  const observed = (): number => {
    const lag = faults().staleReads;
    const oldest = Math.max(seen, revision - lag, journal.reachesBackTo());
    const at = lag === 0 || staleReads >= lag || oldest >= revision ? revision : prng.int(oldest, revision);
    staleReads = at === revision ? 0 : staleReads + 1;
    seen = at;
    return at;
  };

  const create = (object: NewClusterObject) =>
    Effect.suspend(() => {
      const { kind, name } = object;
      if (stored(kind, name)) {
        return error("create", kind, name, "AlreadyExists", `${kind} "${name}" already exists`);
      }
      revision++;
      const created: ClusterObject = Object.freeze({
        kind,
        name,
        labels: Object.freeze({ ...object.labels }),
        owner: object.owner,
        spec: frozenCopy(object.spec),
        conditions: noConditions,
        resourceVersion: String(revision),
      });
      put(kind, name, created);
      return Effect.succeed(created);
    });

  const remove = (kind: string, name: string) =>
    Effect.suspend(() => {
      if (!stored(kind, name)) return error("delete", kind, name, "NotFound", `${kind} "${name}" not found`);
      revision++;
      put(kind, name, undefined);
      // Owner cascade, as Kubernetes' garbage collector does it (here at once, in the same write):
      // dependents of dependents too.
      const owners = [name];
      for (let i = 0; i < owners.length; i++) {
        for (const key of [...(owned.get(owners[i]!) ?? [])]) {
          const [k, n] = [key.slice(0, key.indexOf("/")), key.slice(key.indexOf("/") + 1)];
          put(k, n, undefined);
          owners.push(n);
        }
      }
      return Effect.void;
    });

  const writeConditions = (
    kind: string,
    name: string,
    resourceVersion: string,
    conditions: readonly Condition[],
  ) =>
    Effect.suspend(() => {
      const object = stored(kind, name);
      if (object === undefined)
        return error("writeConditions", kind, name, "NotFound", `${kind} "${name}" not found`);
      if (object.resourceVersion !== resourceVersion) {
        return error(
          "writeConditions",
          kind,
          name,
          "Conflict",
          `${kind} "${name}" is at resourceVersion ${object.resourceVersion}, not ${resourceVersion}: read it again`,
        );
      }
      // Like the API server, a write that changes nothing keeps the resourceVersion.
      if (sameConditions(conditions, object.conditions)) return Effect.succeed(object);
      const copy = Object.freeze(
        conditions.map(({ type, status, reason, message, lastTransitionTime }) =>
          Object.freeze({ type, status, reason, message, lastTransitionTime }),
        ),
      );
      revision++;
      const updated = Object.freeze({ ...object, conditions: copy, resourceVersion: String(revision) });
      put(kind, name, updated);
      return Effect.succeed(updated);
    });

  const port: ClusterShape = {
    create,
    delete: remove,
    writeConditions,
    get: (kind, name) => Effect.sync(() => objectAt(kind, name, observed())),
    list: (kind) => Effect.sync(() => listAt(kind, observed())),
    changes: (kinds, cursor) => Effect.sync(() => changesAt(kinds, cursor, observed())),
  };
  return {
    port,
    objects: () => [...byKind.keys()].sort().flatMap((kind) => listAt(kind, revision)),
    get: stored,
    revision: () => revision,
    changesNow: (kinds, cursor) => changesAt(kinds, cursor, revision),
  };
}
