import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Real processes for the fault tests: `phasekit serve` children (run from the sources, as a user's
 * process would run the built CLI) and the project's broker script.
 *
 * @module
 */

export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/** A running `phasekit serve` child and what it printed. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
}

/** Spawns `phasekit <args>` from the sources (with `env` added to this process's environment). */
export function spawnPhasekit(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): ServeProcess {
  const child = spawn(
    process.execPath,
    ["--conditions=@phasekit/source", "--import", "tsx", "packages/cli/src/bin.ts", ...args],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } },
  );
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  return { child, output: () => output, exited };
}

/** Spawns `phasekit serve <services> --kafka <brokers> --prefix <prefix> [extra...]` from the sources. */
export function spawnServe(
  services: string,
  brokers: string,
  prefix: string,
  extra: readonly string[] = [],
): ServeProcess {
  return spawnPhasekit(["serve", services, "--kafka", brokers, "--prefix", prefix, ...extra]);
}

/** Waits until the process printed `text` (or fails after `timeoutMs`, showing what it printed). */
export async function waitForOutput(p: ServeProcess, text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!p.output().includes(text)) {
    if (p.child.exitCode !== null) throw new Error(`serve exited before printing "${text}":\n${p.output()}`);
    if (Date.now() > deadline)
      throw new Error(`serve did not print "${text}" within ${timeoutMs} ms:\n${p.output()}`);
    await sleep(100);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true, failing with `what` after `timeoutMs`. */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  options: { readonly timeoutMs?: number; readonly everyMs?: number } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(options.everyMs ?? 250);
  }
}

/** Runs `scripts/kafka/broker.sh <command>` with this process's environment and `env` (ports, run dir). */
export function brokerScript(
  command: "status" | "restart" | "start" | "stop",
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      `${repoRoot}scripts/kafka/broker.sh`,
      [command],
      { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 300_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A port nobody listens on now (the OS picks it), for a private service of a test. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A broker of the test's own (scripts/kafka/broker.sh with its own run dir and ports), so that a
 * test may stop and restart it without touching the broker other tests share. `stop` stops it and
 * removes its data.
 */
export async function privateBroker(): Promise<{
  readonly bootstrap: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stop: () => Promise<void>;
}> {
  const run = mkdtempSync(join(tmpdir(), "phasekit-broker-"));
  const env = {
    PHASEKIT_RUN: run,
    PHASEKIT_KAFKA_PORT: String(await freePort()),
    PHASEKIT_KAFKA_CONTROLLER_PORT: String(await freePort()),
    PHASEKIT_KAFKA_STOP_TIMEOUT: "10",
  };
  const started = await brokerScript("start", env);
  if (started.code !== 0) {
    rmSync(run, { recursive: true, force: true });
    throw new Error(
      `cannot start a private broker with scripts/kafka/broker.sh (${JSON.stringify(env)}):\n${started.stderr}`,
    );
  }
  return {
    bootstrap: `127.0.0.1:${env.PHASEKIT_KAFKA_PORT}`,
    env,
    stop: async () => {
      await brokerScript("stop", env);
      rmSync(run, { recursive: true, force: true });
    },
  };
}
