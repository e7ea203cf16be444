import type { ClusterObject, ClusterShape, NewClusterObject } from "@phasekit/core";
import { Effect } from "effect";
import { apiVersionOf, KubeApiError, type KubeClient, type ResourceType } from "./client.js";
import type { K8sConfig } from "./config.js";
import { attempt } from "./errors.js";
import { isCustom, portTypes } from "./kinds.js";
import { fromKube, managedBy, type OwnerRef, toKube, withConditions } from "./objects.js";
import { ChangeJournal } from "./watch/change-journal.js";
import { ListWatch } from "./watch/list-watch.js";

/**
 * The cluster port on a Kubernetes API server, in one namespace. Writes and `get` go to the API
 * server (so a read after a write sees it, and a status write after a Conflict starts from the
 * truth); `list` is served from a list/watch cache of the kind, started on first use and kept
 * current by the watch (level-based: it may lag a write by a few milliseconds, as the port allows).
 * `delete` cascades through Kubernetes' garbage collector (background propagation), so owned
 * objects disappear shortly after their owner. `changes` is served from the same caches: a journal
 * records which object every cache event (watch or relist) touched, and a cursor names a point in it.
 *
 * @module
 */

export interface KubeCluster {
  readonly port: ClusterShape;
  /** The watch-fed cache of a port kind (started on first use). */
  readonly informer: (kind: string) => ListWatch;
  readonly client: KubeClient;
  readonly config: K8sConfig;
  /** Which objects the caches changed, in order: the change feed's memory. */
  readonly journal: ChangeJournal;
  /** Stops every watch. */
  readonly stop: () => Promise<void>;
}

const byName = (a: ClusterObject, b: ClusterObject) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const byKindThenName = (a: ClusterObject, b: ClusterObject) =>
  a.kind === b.kind ? byName(a, b) : a.kind < b.kind ? -1 : 1;

/**
 * The port over `client`, in `config.namespace`.
 *
 * @example
 * ```ts
 * const cluster = makeKubeCluster(client, config);
 * await Effect.runPromise(cluster.port.list("Evaluation"));
 * await cluster.stop();
 * ```
 */
export function makeKubeCluster(
  client: KubeClient,
  config: K8sConfig,
  journal: ChangeJournal = new ChangeJournal(),
): KubeCluster {
  const types = portTypes(config.group);
  const namespace = config.namespace;
  const informers = new Map<string, ListWatch>();

  const typeOf = (operation: string, kind: string, name: string): Effect.Effect<ResourceType> => {
    const type = types.get(kind);
    return type
      ? Effect.succeed(type)
      : Effect.die(
          new TypeError(
            `${operation} ${kind} "${name}": the Kubernetes adapter has no resource for kind ${kind} (known: ${[...types.keys()].join(", ")})`,
          ),
        );
  };
  const custom = (t: ResourceType) => isCustom(t, config.group);

  const informer = (kind: string): ListWatch => {
    let lw = informers.get(kind);
    if (!lw) {
      const type = types.get(kind);
      if (!type) throw new TypeError(`no resource for kind ${kind}`);
      lw = new ListWatch({
        client,
        type,
        namespace,
        // Built-in kinds: only what the adapter made (a namespace may hold other Jobs).
        ...(custom(type) ? {} : { labelSelector: `${managedBy.key}=${managedBy.value}` }),
        timing: config.watch,
        ...(config.log ? { log: config.log } : {}),
      });
      // Subscribed before the first list, so its objects are journaled too (as ADDED): a cursor
      // from before this kind was watched is owed all of them, and gets them as changes.
      lw.subscribe((event) => journal.record(kind, event.object.metadata.name));
      lw.start();
      informers.set(kind, lw);
    }
    return lw;
  };

  /**
   * The owner reference for a step's owner `name`: the object of that name among the port's kinds,
   * workflow kinds first (the cache if it has it, else the API server).
   */
  const ownerRef = async (name: string, of: NewClusterObject): Promise<OwnerRef> => {
    const candidates = [...types.values()];
    const ref = (t: ResourceType, uid: string | undefined): OwnerRef | undefined =>
      uid ? { apiVersion: apiVersionOf(t), kind: t.kind, name, uid } : undefined;
    for (const t of candidates) {
      const cached = informers.get(t.kind)?.items().get(name);
      if (cached) return ref(t, cached.metadata.uid)!;
    }
    for (const t of candidates) {
      if (t.kind === of.kind && name === of.name) continue;
      try {
        const found = ref(t, (await client.get(t, namespace, name)).metadata.uid);
        if (found) return found;
      } catch (error) {
        if (!(error instanceof KubeApiError && (error.status === 404 || error.status === 403))) throw error;
      }
    }
    throw new KubeApiError(404, "NotFound", `owner "${name}" of ${of.kind} "${of.name}" not found`);
  };

  const create = (object: NewClusterObject) =>
    Effect.gen(function* () {
      const type = yield* typeOf("create", object.kind, object.name);
      if (
        custom(type) &&
        object.spec !== undefined &&
        (typeof object.spec !== "object" || object.spec === null)
      )
        return yield* Effect.die(
          new TypeError(`create ${object.kind} "${object.name}": a custom resource's spec must be an object`),
        );
      const created = yield* attempt("create", object.kind, object.name, async () => {
        const owner = object.owner === null ? null : await ownerRef(object.owner, object);
        return client.create(type, namespace, toKube(object, type, namespace, owner, custom(type), config));
      });
      return fromKube(created, type, custom(type));
    });

  const get = (kind: string, name: string) =>
    Effect.gen(function* () {
      const type = yield* typeOf("get", kind, name);
      return yield* attempt("get", kind, name, () => client.get(type, namespace, name)).pipe(
        Effect.map((o) => fromKube(o, type, custom(type)) as ClusterObject | undefined),
        Effect.catchIf(
          (e) => e.code === "NotFound",
          () => Effect.succeed(undefined),
        ),
      );
    });

  /** The kind's cache, started and listed (a failed first list is the operation's ClusterError). */
  const synced = (operation: string, kind: string) =>
    Effect.gen(function* () {
      const type = yield* typeOf(operation, kind, "*");
      const lw = informer(kind);
      yield* attempt(operation, kind, "*", () => lw.ready(config.requestTimeoutMs));
      return { kind, type, lw };
    });

  const cached = ({ type, lw }: { type: ResourceType; lw: ListWatch }) =>
    [...lw.items().values()].map((o) => fromKube(o, type, custom(type))).sort(byName);

  const list = (kind: string) => Effect.map(synced("list", kind), cached);

  const changes: ClusterShape["changes"] = (kinds, cursor) =>
    Effect.gen(function* () {
      const caches = yield* Effect.forEach(new Set(kinds), (kind) => synced("changes", kind), {
        concurrency: "unbounded",
      });
      // From here to the return nothing awaits, so no event lands between reading the journal, the
      // caches and the cursor: every event up to the cursor is in the caches as read.
      const answer = journal.since(cursor, new Set(caches.map((c) => c.kind)));
      if (answer.full)
        return { cursor: journal.cursor(), full: true, objects: caches.flatMap(cached), deleted: [] };
      const byKind = new Map(caches.map((c) => [c.kind, c]));
      const objects: ClusterObject[] = [];
      const deleted: { kind: string; name: string }[] = [];
      for (const { kind, name } of answer.changed) {
        const { type, lw } = byKind.get(kind)!;
        const now = lw.items().get(name);
        if (now) objects.push(fromKube(now, type, custom(type)));
        else deleted.push({ kind, name });
      }
      return { cursor: journal.cursor(), full: false, objects: objects.sort(byKindThenName), deleted };
    });

  const remove = (kind: string, name: string) =>
    Effect.gen(function* () {
      const type = yield* typeOf("delete", kind, name);
      yield* attempt("delete", kind, name, () => client.delete(type, namespace, name, "Background"));
    });

  const writeConditions: ClusterShape["writeConditions"] = (kind, name, resourceVersion, conditions) =>
    Effect.gen(function* () {
      const type = yield* typeOf("writeConditions", kind, name);
      const written = yield* attempt("writeConditions", kind, name, async () => {
        // A custom resource's status subresource takes the conditions alone; a built-in kind's status
        // is replaced whole, so it is read first and only its conditions change.
        const current = custom(type) ? null : await client.get(type, namespace, name);
        if (current && current.metadata.resourceVersion !== resourceVersion)
          throw new KubeApiError(
            409,
            "Conflict",
            `${kind} "${name}" is at resourceVersion ${current.metadata.resourceVersion}, not ${resourceVersion}`,
          );
        return client.updateStatus(
          type,
          namespace,
          name,
          withConditions(current, type, namespace, name, resourceVersion, conditions),
        );
      });
      return fromKube(written, type, custom(type));
    });

  const port: ClusterShape = { create, delete: remove, get, list, changes, writeConditions };
  return {
    port,
    informer,
    client,
    config,
    journal,
    stop: async () => {
      await Promise.all([...informers.values()].map((lw) => lw.stop()));
    },
  };
}
