import { DecodeError, ViewStore, ViewStoreError } from "@phasekit/core";
import { Effect, Layer } from "effect";
import pg from "pg";
import { decodePostgresConfig, type PostgresConfig, type PostgresConfigInput } from "./config.js";
import { createTableSql, postgresViewStore } from "./view-store.js";

/**
 * `layerPostgres(config)`: the query view on PostgreSQL.
 *
 * @module
 */

function configOrThrow(input: PostgresConfigInput): PostgresConfig {
  const config = decodePostgresConfig(input);
  if (config instanceof DecodeError) throw config;
  return config;
}

/**
 * Creates the table unless it exists. `CREATE TABLE IF NOT EXISTS` alone is not safe when two
 * processes start at once (both pass the check, one fails on the catalog's unique index), so the
 * creation holds a transaction-scoped advisory lock named after the table.
 */
async function createTable(pool: pg.Pool, config: PostgresConfig): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`phasekit:${config.table}`]);
    await client.query(createTableSql(config.table));
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * `ViewStore` on a real PostgreSQL (client: `pg`). The config is checked at once: a bad field throws
 * a DecodeError naming it. Building the layer opens a pool, connects and creates the table unless it
 * exists (a database that cannot be reached fails the layer with a ViewStoreError saying where);
 * closing its scope ends the pool. Several sinks and API servers can share the table: upserts keep
 * only newer versions, atomically.
 *
 * @example
 * ```ts
 * import { layerPostgres } from "@phasekit/adapter-postgres";
 * import { ViewStore } from "@phasekit/core";
 * import { Effect } from "effect";
 *
 * const program = Effect.gen(function* () {
 *   const view = yield* ViewStore;
 *   yield* view.upsert({ id: "e1", version: 1, value: '{"status":"Created"}' });
 *   return yield* view.get("e1");
 * });
 * await Effect.runPromise(
 *   program.pipe(Effect.provide(layerPostgres({ url: "postgres://phasekit@127.0.0.1:5432/phasekit" }))),
 * );
 * ```
 */
export function layerPostgres(input: PostgresConfigInput): Layer.Layer<ViewStore, ViewStoreError> {
  const config = configOrThrow(input);
  return Layer.effect(
    ViewStore,
    Effect.gen(function* () {
      const pool = yield* Effect.acquireRelease(
        Effect.sync(() => {
          const p = new pg.Pool({
            connectionString: config.url,
            max: config.maxConnections,
            connectionTimeoutMillis: config.timeoutMs,
          });
          // An idle connection the server dropped is replaced at the next query; do not crash on it.
          p.on("error", () => {});
          return p;
        }),
        (p) => Effect.promise(() => p.end()),
      );
      const where = new URL(config.url);
      yield* Effect.tryPromise({
        try: () => createTable(pool, config),
        catch: (error) =>
          new ViewStoreError({
            operation: "connect",
            message: `cannot use table ${config.tableName} at PostgreSQL ${where.host}${where.pathname}: ${error instanceof Error ? error.message : String(error)}`,
          }),
      });
      return postgresViewStore(pool, config.table);
    }),
  );
}
