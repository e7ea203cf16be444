import { ClusterPlayer, layerMemoryBackend, makeMemoryBackend } from "@phasekit/adapter-memory";
import {
  createEntity,
  makeAggregator,
  makeOperator,
  makeOrchestrator,
  type Quotas,
  stepKinds,
} from "@phasekit/core";
import { Effect } from "effect";
import { forceGc } from "../harness.js";
import type { Figure } from "../report.js";

/**
 * The admission step at 5,000 nodes (issue 9, item 6), measured as kube-scheduler's throughput is
 * (scheduler_perf: pods created first, then pods bound per second): `workloads` Models already
 * created and folded onto the state log, waiting; then, timed, the orchestrator admits them (decides
 * against the quotas, records each admission with a compare-and-set, creates the workflow object,
 * produces `Admitted`), the operator creates each one's job, and the simulated cluster places every
 * job on one of `nodes` nodes of 8 GPU (first fit). Goal: 6,800 admissions per CPU second on one
 * core, ten times kube-scheduler's CI floor at 5,000 nodes (680 pods/s).
 */
export interface AdmissionSize {
  readonly workloads: number;
  readonly nodes: number;
  readonly rounds: number;
  /**
   * Whether the figure carries its goal. Quick mode leaves it out: 6,800/s is an absolute rate, not a
   * ratio to a baseline of the same run, so a loaded CI machine would fail it for nothing.
   */
  readonly withGoal: boolean;
}

const accounts = Array.from({ length: 30 }, (_, i) => `acct-${i}`);
const at = "2026-01-01T00:00:00.000Z";

/** One round: CPU seconds of the timed part, and how many workloads were admitted and placed. */
function round(size: AdmissionSize): { cpu: number; admitted: number; placed: number } {
  const tokens = Object.fromEntries(
    accounts.map((a) => [`t-${a}`, { account: a, verbs: ["create" as const] }]),
  );
  const backend = makeMemoryBackend({ seed: 1, tokens });
  const quotas: Quotas = Object.fromEntries(
    accounts.map((a) => [a, { gpu: Math.ceil((size.nodes * 8) / 30) }]),
  );
  const player = new ClusterPlayer(
    Array.from({ length: size.nodes }, (_, i) => ({ name: `n${i}`, gpu: 8, cpu: 64, memoryGiB: 512 })),
    () => 600_000,
  );
  const program = Effect.gen(function* () {
    for (let i = 0; i < size.workloads; i++) {
      const account = accounts[i % accounts.length]!;
      const gpu = [1, 2, 4][Math.floor(i / accounts.length) % 3]!;
      const request = {
        kind: "Model",
        id: `w${i}`,
        account,
        spec: { resources: { gpu, cpu: 0, memoryGiB: 0 } },
        labels: {},
      };
      yield* createEntity(`t-${account}`, request, at);
    }
    const aggregator = yield* makeAggregator();
    while ((yield* aggregator.runOnce()) > 0) {}
    const orchestrator = yield* makeOrchestrator({ quotas });
    const operator = yield* makeOperator();
    forceGc();
    const cpu0 = process.cpuUsage();
    while ((yield* orchestrator.runOnce(at)) > 0) {}
    while ((yield* operator.runOnce(at)) > 0) {}
    const placed = player.syncChanges(0, backend.cluster.changesNow(stepKinds, null)).length;
    const cpu = process.cpuUsage(cpu0);
    const admitted = backend.cluster.objects().filter((o) => o.owner === null).length;
    return { cpu: (cpu.user + cpu.system) / 1e6, admitted, placed };
  });
  return Effect.runSync(Effect.scoped(program).pipe(Effect.provide(layerMemoryBackend(backend))));
}

export function admissionCase(size: AdmissionSize): Figure[] {
  round({ ...size, workloads: Math.min(size.workloads, 1000) }); // untimed warm-up
  const rates: number[] = [];
  for (let r = 0; r < size.rounds; r++) {
    const { cpu, admitted, placed } = round(size);
    if (admitted !== size.workloads || placed !== size.workloads)
      throw new Error(`admission: ${admitted} admitted and ${placed} placed of ${size.workloads}`);
    rates.push(admitted / cpu);
    console.error(
      `  admission: ${admitted} admitted and placed on ${size.nodes} nodes in ${cpu.toFixed(3)} s CPU`,
    );
  }
  const rate = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;
  return [
    {
      case: "admission",
      subject: `${size.workloads} waiting workloads, ${size.nodes} nodes`,
      metric: "admissions per CPU second / 6,800",
      value: rate,
      unit: "adm/s",
      baseline: { name: "goal: 10x kube-scheduler's CI floor", value: 6800 },
      ratio: rate / 6800,
      ratioUnit: "x",
      ...(size.withGoal ? { goal: { op: ">=" as const, value: 1 } } : {}),
      note: `median of ${size.rounds} rounds; orchestrator admits, operator creates each job, the cluster places it`,
    },
  ];
}
