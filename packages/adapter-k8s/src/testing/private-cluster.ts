import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type TestCluster, testCluster } from "./env.js";

/**
 * A Kubernetes control plane of a test's own: `scripts/k8s/cluster.sh` with its own run dir and
 * ports (etcd, kube-apiserver, the controllers and kwok), so that a test may restart its API server
 * without breaking the watches of every other test (and engineer) on the shared one. Under CI=true
 * a cluster that cannot start fails the test, as the shared one's absence does.
 *
 * @module
 */

const script = new URL("../../../../scripts/k8s/cluster.sh", import.meta.url).pathname;
const run = promisify(execFile);

const listen = (port: number) =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const got = (server.address() as AddressInfo).port;
      server.close(() => resolve(got));
    });
  });

/** Two consecutive free ports (etcd's client port and its peer port, the next one). */
async function freePair(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await listen(0);
    if (port < 65_535 && (await listen(port + 1).catch(() => 0)) === port + 1) return port;
  }
  throw new Error("no two consecutive free ports on 127.0.0.1");
}

/** A private cluster: its endpoints, a restart of its API server, and a stop that removes it. */
export interface PrivateCluster extends TestCluster {
  readonly env: NodeJS.ProcessEnv;
  /** `cluster.sh restart-apiserver` on this cluster: resolves once its API server answers again. */
  readonly restartApiServer: () => Promise<void>;
  readonly stop: () => Promise<void>;
}

/**
 * Starts a private cluster (one fake node) and waits until its API server is ready.
 *
 * @example
 * ```ts
 * const cluster = await privateCluster();
 * try { await cluster.restartApiServer(); } finally { await cluster.stop(); }
 * ```
 */
export async function privateCluster(): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), "phasekit-k8s-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PHASEKIT_RUN: dir,
    PHASEKIT_ETCD_PORT: String(await freePair()),
    PHASEKIT_K8S_PORT: String(await listen(0)),
    PHASEKIT_KCM_PORT: String(await listen(0)),
    PHASEKIT_SCHED_PORT: String(await listen(0)),
    PHASEKIT_KWOK_PORT: String(await listen(0)),
    PHASEKIT_K8S_NODES: "1",
    PHASEKIT_K8S_NO_BUILD: "1",
  };
  const stop = async () => {
    await run(script, ["stop"], { env, timeout: 120_000 }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run(script, ["start"], { env, timeout: 600_000 });
    const { stdout } = await run(script, ["env"], { env, timeout: 60_000 });
    for (const line of stdout.split("\n")) {
      const m = /^export (\w+)=(.*)$/.exec(line);
      if (m) env[m[1]!] = m[2]!;
    }
    const cluster = await testCluster(env);
    return {
      ...cluster,
      env,
      restartApiServer: async () => {
        await run(script, ["restart-apiserver"], { env, timeout: 300_000 });
      },
      stop: async () => {
        cluster.adminClient.close();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw new Error(
      `a private Kubernetes cluster (scripts/k8s/cluster.sh start, run dir ${dir}) did not start: ${(error as { stderr?: string }).stderr ?? (error as Error).message}`,
    );
  }
}
