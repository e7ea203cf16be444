import { DecodeError, KeyValue, KeyValueError } from "@phasekit/core";
import { Effect, Layer } from "effect";
import { Etcd3 } from "etcd3";
import { decodeEtcdConfig, type EtcdConfig, type EtcdConfigInput } from "./config.js";
import { etcdKeyValue } from "./key-value.js";

/**
 * `layerEtcd(config)`: the orchestrator's strongly consistent key-value store on etcd.
 *
 * @module
 */

function configOrThrow(input: EtcdConfigInput): EtcdConfig {
  const config = decodeEtcdConfig(input);
  if (config instanceof DecodeError) throw config;
  return config;
}

/**
 * A client for `config`: a deadline on every call that is not a stream, the dial timeout. For a
 * program that wants the client itself (to watch keys, say); `layerEtcd` makes and closes its own.
 *
 * @example
 * ```ts
 * const config = decodeEtcdConfig({ endpoints: "127.0.0.1:2379" });
 * if (!(config instanceof DecodeError)) {
 *   const client = createEtcdClient(config);
 *   const kv = etcdKeyValue(client.namespace("dyff/"), config.endpoints);
 *   // ... client.close() when done
 * }
 * ```
 */
export function createEtcdClient(config: EtcdConfig): Etcd3 {
  return new Etcd3({
    hosts: [...config.endpoints],
    dialTimeout: config.timeoutMs,
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + config.timeoutMs }),
  });
}

/**
 * `KeyValue` on a real etcd (v3 API, client: `etcd3`). The config is checked at once: a bad field
 * throws a DecodeError naming it. Building the layer connects and asks the cluster for its status,
 * so an unreachable etcd fails the layer with a KeyValueError that names the endpoints, instead of
 * the first admission; closing its scope closes the client. Every key is written under `prefix`
 * (default `phasekit/`), so several control planes (or tests) can share one etcd.
 *
 * @example
 * ```ts
 * import { layerEtcd } from "@phasekit/adapter-etcd";
 * import { KeyValue } from "@phasekit/core";
 * import { Effect } from "effect";
 *
 * const program = Effect.gen(function* () {
 *   const kv = yield* KeyValue;
 *   const version = yield* kv.compareAndSet("admission/e1", null, '{"id":"e1"}'); // null: already there
 *   return version;
 * });
 * await Effect.runPromise(program.pipe(Effect.provide(layerEtcd({ endpoints: "127.0.0.1:2379", prefix: "dyff/" }))));
 * ```
 */
export function layerEtcd(input: EtcdConfigInput): Layer.Layer<KeyValue, KeyValueError> {
  const config = configOrThrow(input);
  return Layer.effect(
    KeyValue,
    Effect.gen(function* () {
      const client = yield* Effect.acquireRelease(
        Effect.sync(() => createEtcdClient(config)),
        (c) => Effect.sync(() => c.close()),
      );
      yield* Effect.tryPromise({
        try: () => client.maintenance.status(),
        catch: (error) =>
          new KeyValueError({
            operation: "connect",
            key: config.prefix,
            message: `cannot reach etcd at ${config.endpoints.join(",")}: ${error instanceof Error ? error.message : String(error)}`,
          }),
      });
      return etcdKeyValue(config.prefix === "" ? client : client.namespace(config.prefix), config.endpoints);
    }),
  );
}
