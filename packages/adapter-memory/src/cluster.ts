import {
  ClusterError,
  type ClusterObject,
  type ClusterShape,
  type Condition,
  type NewClusterObject,
} from "@phasekit/core";
import { Effect } from "effect";
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
}

type Snapshot = ReadonlyMap<string, ClusterObject>;

const keyOf = (kind: string, name: string) => `${kind}/${name}`;
const byKindThenName = (a: ClusterObject, b: ClusterObject) =>
  a.kind === b.kind ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.kind < b.kind ? -1 : 1;

/**
 * Kubernetes' object storage, in memory: create, delete with owner cascade, get, list, and status
 * writes guarded by `resourceVersion`. Every write makes a new immutable snapshot, so a read that
 * lags (the `informerLag` fault) returns a state the cluster really was in. It stores; it does not
 * run anything: workloads progress only when someone writes their conditions.
 *
 * @example
 * ```ts
 * const cluster = makeMemoryCluster(makePrng(1), () => noFaults);
 * const job = Effect.runSync(cluster.port.create({ kind: "Job", name: "e1-client", labels: {}, owner: "e1", spec: {} }));
 * job.resourceVersion; // "1"
 * ```
 */
export function makeMemoryCluster(prng: Prng, faults: () => MemoryFaults): MemoryCluster {
  let current: Snapshot = new Map();
  let revision = 0;
  /** Past snapshots a lagging read may return, oldest first: `objects` is the state after write `revision`. */
  const history: { revision: number; objects: Snapshot }[] = [];
  /** The write the last read reflected: reads never go back before it. */
  let seen = 0;
  /** Lagging reads in a row: after `informerLag` of them the next read is current (the cache catches up). */
  let staleReads = 0;

  const error = (
    operation: string,
    kind: string,
    name: string,
    code: ClusterError["code"],
    message: string,
  ) => Effect.fail(new ClusterError({ operation, kind, name, code, message }));

  const commit = (next: Snapshot) => {
    const lag = faults().informerLag;
    history.push({ revision, objects: current });
    current = next;
    revision++;
    while (history.length > 0 && history[0]!.revision < revision - lag) history.shift();
  };

  /** The snapshot a read sees: now, or (with lag) a past state no older than the last read's. */
  const observed = (): Snapshot => {
    const lag = faults().informerLag;
    const oldest = Math.max(seen, revision - lag, history[0]?.revision ?? revision);
    const at = lag === 0 || staleReads >= lag || oldest >= revision ? revision : prng.int(oldest, revision);
    staleReads = at === revision ? 0 : staleReads + 1;
    seen = at;
    return at === revision ? current : history.find((h) => h.revision === at)!.objects;
  };

  const create = (object: NewClusterObject) =>
    Effect.suspend(() => {
      const { kind, name } = object;
      if (current.has(keyOf(kind, name))) {
        return error("create", kind, name, "AlreadyExists", `${kind} "${name}" already exists`);
      }
      const stored: ClusterObject = Object.freeze({
        kind,
        name,
        labels: Object.freeze({ ...object.labels }),
        owner: object.owner,
        spec: structuredClone(object.spec),
        conditions: Object.freeze([]),
        resourceVersion: String(revision + 1),
      });
      commit(new Map(current).set(keyOf(kind, name), stored));
      return Effect.succeed(stored);
    });

  const remove = (kind: string, name: string) =>
    Effect.suspend(() => {
      if (!current.has(keyOf(kind, name)))
        return error("delete", kind, name, "NotFound", `${kind} "${name}" not found`);
      const next = new Map(current);
      next.delete(keyOf(kind, name));
      // Owner cascade, as Kubernetes' garbage collector does it (here at once): dependents of dependents too.
      const owners = [name];
      for (let i = 0; i < owners.length; i++) {
        for (const [key, o] of next) {
          if (o.owner === owners[i]) {
            next.delete(key);
            owners.push(o.name);
          }
        }
      }
      commit(next);
      return Effect.void;
    });

  const writeConditions = (
    kind: string,
    name: string,
    resourceVersion: string,
    conditions: readonly Condition[],
  ) =>
    Effect.suspend(() => {
      const stored = current.get(keyOf(kind, name));
      if (stored === undefined)
        return error("writeConditions", kind, name, "NotFound", `${kind} "${name}" not found`);
      if (stored.resourceVersion !== resourceVersion) {
        return error(
          "writeConditions",
          kind,
          name,
          "Conflict",
          `${kind} "${name}" is at resourceVersion ${stored.resourceVersion}, not ${resourceVersion}: read it again`,
        );
      }
      const copy = Object.freeze(conditions.map((c) => Object.freeze({ ...c })));
      // Like the API server, a write that changes nothing keeps the resourceVersion.
      if (JSON.stringify(copy) === JSON.stringify(stored.conditions)) return Effect.succeed(stored);
      const updated = Object.freeze({ ...stored, conditions: copy, resourceVersion: String(revision + 1) });
      commit(new Map(current).set(keyOf(kind, name), updated));
      return Effect.succeed(updated);
    });

  const port: ClusterShape = {
    create,
    delete: remove,
    writeConditions,
    get: (kind, name) => Effect.sync(() => observed().get(keyOf(kind, name))),
    list: (kind) =>
      Effect.sync(() => [...observed().values()].filter((o) => o.kind === kind).sort(byKindThenName)),
  };
  return {
    port,
    objects: () => [...current.values()].sort(byKindThenName),
    get: (kind, name) => current.get(keyOf(kind, name)),
    revision: () => revision,
  };
}
