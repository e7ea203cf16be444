import { runScenario } from "@phasekit/adapter-memory";
import { failureAnnotations, type PlayedStatus, runScenarioOnKube, unplayable } from "@phasekit/runtime";
import { exit, type Io, inputName, UsageError } from "../io.js";
import { kubeFlag } from "./kube.js";
import { loadScenario } from "./simulate.js";

/**
 * `phasekit simulate --kube K <file>`: the scenario's Dyff resources played in real time with the
 * cluster on a real Kubernetes API server (steps as Jobs and Deployments, a `fail` event as a pod
 * that exits 1 through kwok's stage annotation) and everything else in memory. Simulated time
 * cannot drive real pods, so the scenario's times give only the order of creation, and the run is
 * compared with the in-memory simulator's final statuses, as `--kafka` is.
 *
 * @module
 */

export interface SimulateKubeOptions {
  readonly file: string | undefined;
  readonly kube: string;
  readonly format?: string | undefined;
}

/** How long the play may take before it fails, wall-clock milliseconds. */
export const kubePlayTimeoutMs = 300_000;

const formats = ["text", "jsonl"] as const;
const show = (s: { status: string; reason: string | null } | undefined) =>
  s === undefined ? "-" : `${s.status}${s.reason ? `/${s.reason}` : ""}`;

/**
 * Plays the scenario on the cluster `--kube` names; prints each final status beside the in-memory
 * run's; exit 0 when every one is the same, 1 when one differs, 2 on bad usage.
 *
 * @example
 * ```ts
 * const code = await simulateOnKube({ file: "examples/dependency-chain.yaml", kube: "kubeconfig" }, processIo);
 * ```
 */
export async function simulateOnKube(options: SimulateKubeOptions, io: Io): Promise<number> {
  const format = options.format ?? "text";
  if (!(formats as readonly string[]).includes(format))
    throw new UsageError(`--format: got "${format}", expected one of ${formats.join(", ")}`);
  if (options.file === undefined)
    throw new UsageError("expected a scenario file: phasekit simulate --kube K <file>");
  const name = inputName(options.file);
  const scenario = loadScenario(options.file, io);
  if (typeof scenario === "string") {
    io.err(`phasekit simulate: ${scenario}\n`);
    return exit.usage;
  }
  const why = unplayable(scenario);
  if (why !== undefined) throw new UsageError(`--kube: ${name}: ${why}`);
  const expected = runScenario(scenario).final.filter((f) => f.system === "dyff");
  const cluster = (await kubeFlag(options.kube, io, { podAnnotations: failureAnnotations(scenario) }))!;
  const faults = Object.entries(scenario.faults).filter(([, v]) => v !== 0 && v !== false);
  if (faults.length > 0)
    io.err(
      `phasekit simulate: faults ${faults.map(([k]) => k).join(", ")} are injected by the simulator only; on Kubernetes they were not applied\n`,
    );
  io.err(`phasekit simulate: ${name} in real time, cluster on ${cluster.where}\n`);
  let played: PlayedStatus[];
  try {
    played = await runScenarioOnKube(scenario, cluster.layer, { timeoutMs: kubePlayTimeoutMs });
  } catch (error) {
    io.err(`phasekit simulate: --kube: ${(error as Error).message}\n`);
    return exit.failed;
  }
  const rows = played.map((p) => {
    const memory = expected.find((e) => e.id === p.id);
    const same = memory !== undefined && memory.status === p.status && memory.reason === p.reason;
    return { ...p, memory, same };
  });
  const same = rows.every((r) => r.same);
  if (format === "jsonl") {
    for (const r of rows)
      io.out(
        `${JSON.stringify({ type: "final", kind: r.kind, id: r.id, status: r.status, reason: r.reason, inMemory: r.memory ? { status: r.memory.status, reason: r.memory.reason } : null })}\n`,
      );
    io.out(`${JSON.stringify({ type: "summary", sameAsInMemory: same })}\n`);
  } else {
    const width = Math.max(...rows.map((r) => `${r.kind} ${r.id}`.length), 10);
    io.out(`${name} on Kubernetes (${cluster.where})\n`);
    for (const r of rows)
      io.out(
        `  ${`${r.kind} ${r.id}`.padEnd(width)}  ${show(r).padEnd(28)}  ${r.same ? "same in memory" : `in memory: ${show(r.memory)}`}\n`,
      );
    io.out(
      same
        ? "every final status as in the in-memory run\n"
        : "final statuses differ from the in-memory run\n",
    );
  }
  return same ? exit.ok : exit.failed;
}
