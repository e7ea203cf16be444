/**
 * phasekit's PostgreSQL adapter: the query view of the control plane (`ViewStore`, Dyff's
 * "MongoDB for querying objects") as one table, each document as text and as JSONB.
 *
 * @packageDocumentation
 */
export { decodePostgresConfig, type PostgresConfig, type PostgresConfigInput } from "./config.js";
export { layerPostgres } from "./layer.js";
export { testPostgresUrl } from "./testing/postgres.js";
export { createTableSql, postgresViewStore, type SqlClient } from "./view-store.js";
