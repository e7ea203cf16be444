import { KeyValueError, type KeyValueShape, type Versioned } from "@phasekit/core";
import { Effect } from "effect";

/** The memory key-value store: the port, and its contents. */
export interface MemoryKeyValue {
  readonly port: KeyValueShape;
  /** Every entry, in key order. */
  readonly entries: () => ReadonlyMap<string, Versioned>;
}

/**
 * A strongly consistent key-value store in one `Map`. Versions come from one counter shared by all
 * keys (as etcd's revisions do), so a key's versions increase but are not consecutive.
 *
 * @example
 * ```ts
 * const kv = makeMemoryKeyValue();
 * Effect.runSync(kv.port.compareAndSet("admitted/e1", null, "1")); // 1
 * Effect.runSync(kv.port.compareAndSet("admitted/e1", null, "1")); // null: already there
 * ```
 */
export function makeMemoryKeyValue(): MemoryKeyValue {
  const entries = new Map<string, Versioned>();
  let revision = 0;
  const sorted = (keys: Iterable<string>) =>
    new Map([...keys].sort().map((k) => [k, entries.get(k)!] as const));

  const port: KeyValueShape = {
    get: (key) => Effect.sync(() => entries.get(key)),
    compareAndSet: (key, expected, value) =>
      Effect.suspend(() => {
        if (typeof value !== "string") {
          return Effect.fail(
            new KeyValueError({ operation: "compareAndSet", key, message: "value: expected a string" }),
          );
        }
        const current = entries.get(key);
        if ((current?.version ?? null) !== expected) return Effect.succeed(null);
        const version = ++revision;
        entries.set(key, Object.freeze({ value, version }));
        return Effect.succeed(version);
      }),
    list: (prefix) => Effect.sync(() => sorted([...entries.keys()].filter((k) => k.startsWith(prefix)))),
  };
  return { port, entries: () => sorted(entries.keys()) };
}
