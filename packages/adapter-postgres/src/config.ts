import { DecodeError } from "@phasekit/core";

/**
 * Where the query view lives: a PostgreSQL connection URL and the table's name.
 *
 * @module
 */

/** The configuration `layerPostgres` takes. */
export interface PostgresConfigInput {
  /** `postgres://user[:password]@host[:port]/database` (or `postgresql://`); options such as `?sslmode=require` pass through. */
  readonly url: string;
  /** The table of the view (default `phasekit_view`), created if missing; `schema.table` names a schema that must exist. */
  readonly table?: string;
  /** Connections in the pool (default 4). */
  readonly maxConnections?: number;
  /** Milliseconds to wait for a connection (default 5000). */
  readonly timeoutMs?: number;
}

/** A checked configuration. */
export interface PostgresConfig {
  readonly url: string;
  /** The table as SQL: each part double-quoted. */
  readonly table: string;
  /** The table as given, for messages. */
  readonly tableName: string;
  readonly maxConnections: number;
  readonly timeoutMs: number;
}

const bad = (path: string, value: unknown, expected: string) =>
  new DecodeError("PostgreSQL configuration", [{ path, value, expected }]);

const identifier = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Checks a configuration: a `postgres://` URL with a host and a database, a table name of one or two
 * SQL identifiers (letters, digits, `_`), positive whole numbers for the pool and the timeout.
 * Returns a DecodeError naming the field, the value and what was expected. The password, if the URL
 * has one, is never shown in an error.
 *
 * @example
 * ```ts
 * decodePostgresConfig({ url: "postgres://phasekit@127.0.0.1:5432/phasekit" }).table; // "\"phasekit_view\""
 * decodePostgresConfig({ url: "mongodb://x" }); // DecodeError at "url"
 * ```
 */
export function decodePostgresConfig(input: PostgresConfigInput): PostgresConfig | DecodeError {
  let url: URL | undefined;
  try {
    url = new URL(input.url);
  } catch {
    url = undefined;
  }
  const shown = url?.password ? input.url.replace(`:${url.password}@`, ":***@") : input.url;
  if (
    !url ||
    (url.protocol !== "postgres:" && url.protocol !== "postgresql:") ||
    url.hostname === "" ||
    url.pathname.length <= 1
  )
    return bad(
      "url",
      shown,
      "postgres://user@host:port/database, e.g. postgres://phasekit@127.0.0.1:5432/phasekit",
    );
  const tableName = input.table ?? "phasekit_view";
  const parts = typeof tableName === "string" ? tableName.split(".") : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every((p) => identifier.test(p)))
    return bad(
      "table",
      tableName,
      "a table name, or schema.table, of letters, digits and _ (e.g. phasekit_view)",
    );
  const maxConnections = input.maxConnections ?? 4;
  if (!Number.isInteger(maxConnections) || maxConnections < 1)
    return bad("maxConnections", maxConnections, "a whole number >= 1");
  const timeoutMs = input.timeoutMs ?? 5_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    return bad("timeoutMs", timeoutMs, "a whole number of milliseconds > 0");
  return {
    url: input.url,
    table: parts.map((p) => `"${p}"`).join("."),
    tableName,
    maxConnections,
    timeoutMs,
  };
}
