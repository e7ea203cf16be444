import { KeyValueError, type KeyValueShape, type Versioned } from "@phasekit/core";
import { Effect } from "effect";
import type { Etcd3, IKeyValue, Namespace } from "etcd3";

/**
 * The key-value port over an etcd3 client. A key's version is its etcd `mod_revision`: the cluster's
 * revision at the key's last write, which grows with every write of the key (and of any other key,
 * which the port allows). Compare-and-set is one etcd transaction: `if mod_revision == expected`
 * (`create_revision == 0` for an absent key) `then put`, so of racing writers exactly one wins,
 * across processes and machines, with etcd's linearizable guarantee.
 *
 * @module
 */

/** A revision etcd sends as an int64 string; above 2^53 it would lose precision, which we refuse. */
function revision(text: string | number, key: string, operation: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n))
    throw new KeyValueError({ operation, key, message: `etcd revision ${text} is beyond 2^53` });
  return n;
}

const versioned = (kv: IKeyValue, key: string, operation: string): Versioned => ({
  value: kv.value.toString("utf8"),
  version: revision(kv.mod_revision, key, operation),
});

/** Runs an etcd call; its failure becomes a KeyValueError naming the operation, the key and the endpoints. */
const call = <A>(operation: string, key: string, endpoints: readonly string[], run: () => Promise<A>) =>
  Effect.tryPromise({
    try: run,
    catch: (error) =>
      error instanceof KeyValueError
        ? error
        : new KeyValueError({
            operation,
            key,
            message: `etcd at ${endpoints.join(",")}: ${error instanceof Error ? error.message : String(error)}`,
          }),
  });

/**
 * The port on `store` (an etcd3 client or namespace; keys are relative to it). `endpoints` only
 * serve the error messages.
 *
 * @example
 * ```ts
 * const kv = etcdKeyValue(new Etcd3({ hosts: "http://127.0.0.1:2379" }).namespace("phasekit/"), ["http://127.0.0.1:2379"]);
 * await Effect.runPromise(kv.compareAndSet("admission/e1", null, "{}")); // the new version, or null
 * ```
 */
export function etcdKeyValue(store: Etcd3 | Namespace, endpoints: readonly string[]): KeyValueShape {
  return {
    get: (key) =>
      call("get", key, endpoints, async () => {
        const response = await store.get(key).exec();
        const kv = response.kvs[0];
        return kv === undefined ? undefined : versioned(kv, key, "get");
      }),
    compareAndSet: (key, expected, value) =>
      call("compareAndSet", key, endpoints, async () => {
        const txn =
          expected === null ? store.if(key, "Create", "==", 0) : store.if(key, "Mod", "==", expected);
        const response = await txn.then(store.put(key).value(value)).commit();
        return response.succeeded ? revision(response.header.revision, key, "compareAndSet") : null;
      }),
    list: (prefix) =>
      call("list", prefix, endpoints, async () => {
        const response = await store.getAll().prefix(prefix).sort("Key", "Ascend").exec();
        const out = new Map<string, Versioned>();
        // Keys come back without the namespace, in byte order, which is JavaScript's order for ASCII keys.
        const entries = response.kvs.map((kv) => [kv.key.toString("utf8"), kv] as const);
        entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        for (const [key, kv] of entries) out.set(key, versioned(kv, key, "list"));
        return out;
      }),
  };
}
