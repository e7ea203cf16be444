import { randomUUID } from "node:crypto";
import { ViewStore, type ViewStoreError } from "@phasekit/core";
import { Effect, Exit } from "effect";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { layerPostgres } from "./layer.js";
import { testPostgresUrl } from "./testing/postgres.js";

// What the memory view cannot show: separate pools (as separate processes hold) share one table,
// and the documents can be queried as JSONB.
const url = await testPostgresUrl();
const table = `shared_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
const run = <A>(program: Effect.Effect<A, ViewStoreError, ViewStore>) =>
  Effect.runPromise(program.pipe(Effect.provide(layerPostgres({ url, table, maxConnections: 4 }))));
const sql = async (text: string, values: unknown[] = []) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
};

afterAll(() => sql(`DROP TABLE IF EXISTS "${table}"`));

describe("the PostgreSQL view, shared", () => {
  it("racing upserts of one id from two pools end with its highest version stored, and storing it reports true", async () => {
    const writer = (offset: number) =>
      run(
        Effect.flatMap(ViewStore, (view) =>
          Effect.all(
            Array.from({ length: 20 }, (_, i) =>
              view.upsert({
                id: "race",
                version: 2 * i + offset,
                value: JSON.stringify({ v: 2 * i + offset }),
              }),
            ),
            { concurrency: "unbounded" },
          ),
        ),
      );
    const [a, b] = await Promise.all([writer(0), writer(1)]);
    expect(await run(Effect.flatMap(ViewStore, (view) => view.get("race")))).toEqual({
      id: "race",
      version: 39,
      value: '{"v":39}',
    });
    expect(b.at(-1)).toBe(true); // 39 is the last of b's and the highest of all: nothing could beat it
    expect([...a, ...b].filter(Boolean).length).toBeGreaterThanOrEqual(1);
  });

  it("documents are queryable as JSONB; a value that is not JSON is kept as text only", async () => {
    await run(
      Effect.flatMap(ViewStore, (view) =>
        Effect.all([
          view.upsert({ id: "j1", version: 1, value: '{"entity":{"status":"Running","account":"alice"}}' }),
          view.upsert({ id: "j2", version: 1, value: '{"entity":{"status":"Complete","account":"alice"}}' }),
          view.upsert({ id: "j3", version: 1, value: "not json" }),
        ]),
      ),
    );
    const rows = await sql(`SELECT id FROM "${table}" WHERE document->'entity'->>'status' = $1 ORDER BY id`, [
      "Complete",
    ]);
    expect(rows).toEqual([{ id: "j2" }]);
    expect(await run(Effect.flatMap(ViewStore, (view) => view.get("j3")))).toEqual({
      id: "j3",
      version: 1,
      value: "not json",
    });
  });

  it("a database that does not answer fails the layer with a ViewStoreError naming where", async () => {
    const exit = await Effect.runPromiseExit(
      Effect.void.pipe(
        Effect.provide(layerPostgres({ url: "postgres://nobody:secret@127.0.0.1:1/none", timeoutMs: 1000 })),
      ),
    );
    expect(Exit.isFailure(exit)).toBe(true);
    const text = Exit.isFailure(exit) ? exit.cause.toString() : "";
    expect(text).toContain("at PostgreSQL 127.0.0.1:1/none");
    expect(text).not.toContain("secret");
  });
});
