import { type ViewDocument, ViewStoreError, type ViewStoreShape } from "@phasekit/core";
import { Effect } from "effect";

/**
 * The query view as one PostgreSQL table: a row per entity id with the state-log version it was
 * derived from, the document exactly as the sink wrote it (`value text`), and the same document as
 * JSONB (`document`, null when the value is not JSON) for queries and indexes.
 *
 * @module
 */

/** What the view needs of a client: one parameterized query (a `pg` Pool fits). */
export interface SqlClient {
  readonly query: (
    text: string,
    values?: readonly unknown[],
  ) => Promise<{ readonly rows: readonly Record<string, unknown>[]; readonly rowCount: number | null }>;
}

/**
 * The table's DDL: `id` in byte order (`COLLATE "C"`, so `list` is in id order whatever the
 * database's locale), the version as `bigint`.
 *
 * @example
 * ```ts
 * await pool.query(createTableSql('"phasekit_view"'));
 * ```
 */
export const createTableSql = (table: string): string =>
  `CREATE TABLE IF NOT EXISTS ${table} (
  id text COLLATE "C" PRIMARY KEY,
  version bigint NOT NULL,
  value text NOT NULL,
  document jsonb
)`;

/** The JSONB column's value: the parsed document when `value` is JSON that JSONB can hold, else null. */
function jsonb(value: string): string | null {
  // JSONB cannot hold the \u0000 escape; such a document is kept as text only.
  if (value.includes("\\u0000")) return null;
  try {
    JSON.parse(value);
    return value;
  } catch {
    return null;
  }
}

const problem = (operation: string, error: unknown) =>
  new ViewStoreError({
    operation,
    message: `PostgreSQL: ${error instanceof Error ? error.message : String(error)}`,
  });

const row = (r: Record<string, unknown>): ViewDocument => ({
  id: r.id as string,
  version: Number(r.version),
  value: r.value as string,
});

/**
 * The port over `client` and `table` (as SQL, quoted). An upsert is one statement, `INSERT ... ON
 * CONFLICT (id) DO UPDATE ... WHERE stored.version < new.version`: PostgreSQL locks the row, so of
 * racing sinks the newest version wins and an older or equal one changes nothing.
 *
 * @example
 * ```ts
 * const view = postgresViewStore(new Pool({ connectionString: url }), '"phasekit_view"');
 * await Effect.runPromise(view.upsert({ id: "e1", version: 3, value: '{"status":"Created"}' })); // true
 * ```
 */
export function postgresViewStore(client: SqlClient, table: string): ViewStoreShape {
  const upsertSql = `INSERT INTO ${table} (id, version, value, document) VALUES ($1, $2, $3, $4::jsonb)
ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, value = EXCLUDED.value, document = EXCLUDED.document
WHERE ${table}.version < EXCLUDED.version`;
  return {
    upsert: (document) =>
      Effect.suspend(() => {
        const { id, version, value } = document;
        if (typeof id !== "string" || typeof value !== "string" || !Number.isSafeInteger(version))
          return Effect.fail(
            new ViewStoreError({
              operation: "upsert",
              message: `document ${JSON.stringify(id)}: expected { id: string, version: whole number, value: string }`,
            }),
          );
        if (id.includes("\u0000") || value.includes("\u0000"))
          return Effect.fail(
            new ViewStoreError({
              operation: "upsert",
              message: `document ${JSON.stringify(id)}: PostgreSQL text cannot hold the NUL character`,
            }),
          );
        return Effect.tryPromise({
          try: async () => (await client.query(upsertSql, [id, version, value, jsonb(value)])).rowCount === 1,
          catch: (error) => problem("upsert", error),
        });
      }),
    get: (id) =>
      Effect.tryPromise({
        try: async () => {
          const result = await client.query(`SELECT id, version, value FROM ${table} WHERE id = $1`, [id]);
          const found = result.rows[0];
          return found === undefined ? undefined : row(found);
        },
        catch: (error) => problem("get", error),
      }),
    list: () =>
      Effect.tryPromise({
        try: async () => {
          const result = await client.query(`SELECT id, version, value FROM ${table} ORDER BY id`);
          const docs = result.rows.map(row);
          // Byte order and JavaScript's order differ only past U+FFFF; the port promises JavaScript's.
          return docs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        },
        catch: (error) => problem("list", error),
      }),
  };
}
