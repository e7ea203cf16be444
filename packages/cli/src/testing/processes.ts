import { type ChildProcess, execFile, spawn } from "node:child_process";
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

/** Runs `scripts/kafka/broker.sh <command>` with this process's environment (same ports and run dir). */
export function brokerScript(
  command: "status" | "restart",
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(`${repoRoot}scripts/kafka/broker.sh`, [command], { cwd: repoRoot }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
