import { randomUUID } from "node:crypto";
import { ViewStoreSuite } from "@phasekit/core/testing";
import { Layer } from "effect";
import pg from "pg";
import { afterAll } from "vitest";
import { layerPostgres } from "./layer.js";
import { testPostgresUrl } from "./testing/postgres.js";

// Each test (and each property run) builds the layer afresh, on a table of its own, so it starts
// empty; the tables go when the file is done.
const url = await testPostgresUrl();
const run = `conformance_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
let tables = 0;
const fresh = () =>
  Layer.suspend(() => layerPostgres({ url, table: `${run}_${tables++}`, maxConnections: 2 }));

ViewStoreSuite.suite("postgres", fresh());

afterAll(async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (let i = 0; i < tables; i++) await client.query(`DROP TABLE IF EXISTS "${run}_${i}"`);
  await client.end();
});
