/**
 * Where the integration tests find their etcd: `PHASEKIT_ETCD_ENDPOINTS`. When it is unset or etcd
 * does not answer there, the tests fail (never skip) with a message that says how to run them.
 *
 * @module
 */

const howTo = [
  "run the whole suite with ./test (it starts the store's etcd), or:",
  '  scripts/etcd/store.sh start && eval "$(scripts/etcd/store.sh env)"',
  "  pnpm test:int",
].join("\n");

async function healthy(endpoint: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return response.ok && ((await response.json()) as { health?: string }).health === "true";
  } catch {
    return false;
  }
}

/**
 * For integration tests: the endpoints in `PHASEKIT_ETCD_ENDPOINTS` (comma-separated), once one of
 * them reports healthy. Throws otherwise (so the test file fails, it never skips): under `CI=true`
 * saying the run should have started etcd, elsewhere saying how to start it.
 *
 * @example
 * ```ts
 * const endpoints = await testEtcdEndpoints(); // at the top of a *.int.test.ts
 * KeyValueSuite.suite("etcd", layerEtcd({ endpoints, prefix: `t-${randomUUID()}/` }));
 * ```
 */
export async function testEtcdEndpoints(): Promise<string[]> {
  const raw = process.env.PHASEKIT_ETCD_ENDPOINTS;
  const why = (problem: string) =>
    new Error(
      process.env.CI === "true"
        ? `etcd integration tests: ${problem}. Under CI the run must start etcd (scripts/services.sh) and export PHASEKIT_ETCD_ENDPOINTS; it did not, so these tests fail rather than skip.`
        : `etcd integration tests need a real etcd: ${problem}.\n${howTo}`,
    );
  if (!raw) throw why("PHASEKIT_ETCD_ENDPOINTS is not set");
  const endpoints = raw
    .split(",")
    .map((e) => (/^https?:\/\//.test(e.trim()) ? e.trim() : `http://${e.trim()}`));
  for (const e of endpoints) if (await healthy(e, 3_000)) return endpoints;
  throw why(`no etcd answers healthy at ${endpoints.join(", ")}`);
}
