import {
  DecodeError,
  type KeyValue,
  type KeyValueError,
  type ViewStore,
  type ViewStoreError,
} from "@phasekit/core";
import type { Layer } from "effect";

/**
 * The shared stores a `serve` process can use instead of its own memory: `--kv etcd://...` for the
 * key-value store (admission records, the informer's memory) and `--view postgres://...` for the
 * query view. One `--prefix` names a control plane everywhere: its Kafka topics and consumer
 * groups, its etcd keys (`<prefix>/...` unless the URL has a path) and its view table
 * (`<prefix>_view`, with characters other than letters, digits and `_` made `_`). The etcd and PostgreSQL clients are loaded only
 * for the flag that needs them.
 *
 * @module
 */

/**
 * A `--kv`, `--view` or `--prefix` value that cannot name a store; the message names the flag, the
 * value and what was expected. The CLI prints it and exits 2.
 */
export class StoreConfigError extends Error {
  override readonly name = "StoreConfigError";
}

/** The stores a process was given; a missing one stays in the process's memory. */
export interface SharedStores {
  readonly kv?: { readonly layer: Layer.Layer<KeyValue, KeyValueError>; readonly where: string };
  readonly view?: { readonly layer: Layer.Layer<ViewStore, ViewStoreError>; readonly where: string };
}

/** The view table of a control plane: `<prefix>_view`, a SQL identifier. */
export function viewTable(prefix: string): string {
  const table = `${prefix.replace(/[^A-Za-z0-9_]/g, "_")}_view`;
  const name = /^[A-Za-z_]/.test(table) ? table : `v_${table}`;
  if (name.length > 63)
    throw new StoreConfigError(
      `--prefix: got "${prefix}", expected at most 58 characters with --view (the table ${name} is longer than PostgreSQL's 63)`,
    );
  return name;
}

/**
 * Reads `--kv` and `--view` into layers; a StoreConfigError names the flag, the value and what was
 * expected (never a password).
 *
 * @example
 * ```ts
 * await sharedStores({ kv: "etcd://127.0.0.1:22379", view: "postgres://phasekit@127.0.0.1:15432/phasekit" }, "dyff");
 * ```
 */
export async function sharedStores(
  flags: { readonly kv?: string | undefined; readonly view?: string | undefined },
  prefix: string,
): Promise<SharedStores> {
  const stores: { -readonly [K in keyof SharedStores]: SharedStores[K] } = {};
  if (flags.kv !== undefined) {
    const { layerEtcd, parseEtcdUrl } = await import("@phasekit/adapter-etcd");
    const config = parseEtcdUrl(flags.kv, "--kv");
    if (config instanceof DecodeError) throw new StoreConfigError(config.message);
    const keyPrefix = /^etcds?:\/\/[^/]*\/./.test(flags.kv.trim()) ? config.prefix : `${prefix}/`;
    stores.kv = {
      layer: layerEtcd({ ...config, prefix: keyPrefix }),
      where: `etcd ${config.endpoints.join(",")} keys ${keyPrefix}`,
    };
  }
  if (flags.view !== undefined) {
    const table = viewTable(prefix);
    const { decodePostgresConfig, layerPostgres } = await import("@phasekit/adapter-postgres");
    const config = decodePostgresConfig({ url: flags.view, table });
    if (config instanceof DecodeError)
      throw new StoreConfigError(config.message.replace(/\burl: got/, "--view: got"));
    const url = new URL(flags.view);
    stores.view = {
      layer: layerPostgres({ url: flags.view, table }),
      where: `PostgreSQL ${url.host}${url.pathname} table ${table}`,
    };
  }
  return stores;
}
