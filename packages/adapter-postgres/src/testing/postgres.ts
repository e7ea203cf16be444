import { createConnection } from "node:net";

/**
 * Where the integration tests find their PostgreSQL: `PHASEKIT_POSTGRES_URL`. When it is unset or
 * nothing answers there, the tests fail (never skip) with a message that says how to run them.
 *
 * @module
 */

const howTo = [
  "run the whole suite with ./test (it starts PostgreSQL), or:",
  '  scripts/postgres/server.sh start && eval "$(scripts/postgres/server.sh env)"',
  "  pnpm test:int",
].join("\n");

function canConnect(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * For integration tests: the URL in `PHASEKIT_POSTGRES_URL`, once its host accepts a connection.
 * Throws otherwise (so the test file fails, it never skips): under `CI=true` saying the run should
 * have started PostgreSQL, elsewhere saying how to start it.
 *
 * @example
 * ```ts
 * const url = await testPostgresUrl(); // at the top of a *.int.test.ts
 * ViewStoreSuite.suite("postgres", layerPostgres({ url, table: `t_${randomUUID().replaceAll("-", "")}` }));
 * ```
 */
export async function testPostgresUrl(): Promise<string> {
  const url = process.env.PHASEKIT_POSTGRES_URL;
  const why = (problem: string) =>
    new Error(
      process.env.CI === "true"
        ? `PostgreSQL integration tests: ${problem}. Under CI the run must start PostgreSQL (scripts/services.sh) and export PHASEKIT_POSTGRES_URL; it did not, so these tests fail rather than skip.`
        : `PostgreSQL integration tests need a real PostgreSQL: ${problem}.\n${howTo}`,
    );
  if (!url) throw why("PHASEKIT_POSTGRES_URL is not set");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw why(`PHASEKIT_POSTGRES_URL is not a URL: ${url}`);
  }
  const port = Number(parsed.port || 5432);
  if (!(await canConnect(parsed.hostname, port, 3_000)))
    throw why(`nothing answers at ${parsed.hostname}:${port}`);
  return url;
}
