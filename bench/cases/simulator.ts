import { decodeScenario, runScenario, type Scenario } from "@phasekit/adapter-memory";
import { DecodeError } from "@phasekit/core";
import { forceGc } from "../harness.js";
import type { Figure } from "../report.js";

/**
 * The simulator at scale (issue 9, item 6): a Kueue-like baseline generated in code. Kueue's
 * scheduler performance test spreads workloads of three classes over 5 cohorts of 6 ClusterQueues;
 * here each ClusterQueue is an account with a GPU quota, each workload a Dyff Model (a computational
 * kind without dependencies) with a GPU request, and the run times are simulated seconds:
 * small 1 GPU 200 s (60%), medium 2 GPU 500 s (30%), large 4 GPU 1000 s (10%). Arrivals are spread
 * so the cluster is kept about full (nodes of 8 GPU; faults off). Each size runs once: wall and CPU
 * time of `runScenario` (invariant checks included), the simulated span it covered, and the
 * admissions (Admitted entries of the timeline) per wall second.
 */
export interface SimulatorSize {
  /** Workload counts of the growth series; the largest is the scale figure. */
  readonly workloads: readonly number[];
  /** The admission run: this many workloads on `nodes` nodes. */
  readonly admission: { readonly workloads: number; readonly nodes: number };
}

const cohorts = 5;
const queuesPerCohort = 6;
const gpuPerNode = 8;
const classes = [
  { name: "small", share: 0.6, gpu: 1, takes: 200 },
  { name: "medium", share: 0.3, gpu: 2, takes: 500 },
  { name: "large", share: 0.1, gpu: 4, takes: 1000 },
] as const;
/** GPU-seconds of the average workload (0.6*200 + 0.3*2*500 + 0.1*4*1000). */
const meanGpuSeconds = classes.reduce((s, c) => s + c.share * c.gpu * c.takes, 0);

/** The class of workload i: a fixed repeating pattern of 10 (6 small, 3 medium, 1 large). */
const classOf = (i: number) => classes[i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2];

/** The Kueue-like scenario: `workloads` Models over 30 accounts on `nodes` nodes of 8 GPU. */
export function kueueLike(workloads: number, nodes: number): Scenario {
  const accounts: Record<string, { quota: { gpu: number }; tokens: string[] }> = {};
  const names: string[] = [];
  const quota = Math.max(4, Math.floor((nodes * gpuPerNode) / (cohorts * queuesPerCohort)));
  for (let c = 1; c <= cohorts; c++)
    for (let q = 1; q <= queuesPerCohort; q++) {
      const name = `cohort${c}-cq${q}`;
      names.push(name);
      accounts[name] = { quota: { gpu: quota }, tokens: [`t-${name}`] };
    }
  // Arrive at the rate the cluster drains: capacity / mean GPU-seconds workloads per second.
  const everyMs = Math.max(1, Math.round((meanGpuSeconds / (nodes * gpuPerNode)) * 1000));
  const resources = Array.from({ length: workloads }, (_, i) => {
    const k = classOf(i)!;
    return {
      kind: "Model" as const,
      id: `w${i}`,
      account: names[i % names.length]!,
      gpu: k.gpu,
      takes: k.takes,
      at: (i * everyMs) / 1000,
    };
  });
  const cluster = { nodes: Array.from({ length: nodes }, (_, i) => ({ name: `n${i}`, gpu: gpuPerNode })) };
  const decoded = decodeScenario({ seed: 1, accounts, cluster, resources }, "kueue-like");
  if (decoded instanceof DecodeError) throw new Error(decoded.message);
  return decoded;
}

/** Nodes enough for the load: 30 nodes of 8 GPU (240 GPU, 8 per account). */
const baselineNodes = 30;

interface Measured {
  readonly workloads: number;
  readonly nodes: number;
  readonly wall: number;
  readonly cpu: number;
  readonly simulated: number;
  readonly admitted: number;
}

function measure(workloads: number, nodes: number): Measured {
  const scenario = kueueLike(workloads, nodes);
  forceGc();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = runScenario(scenario);
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  const admitted = result.timeline.filter((e) => e.status === "Admitted").length;
  const ready = result.final.filter((f) => f.status === "Ready").length;
  if (!result.held || ready !== workloads) {
    const broken = result.invariants.filter((i) => !i.held).map((i) => `${i.name}: ${i.detail}`);
    throw new Error(`simulator: ${ready}/${workloads} Ready; ${broken.join("; ") || "invariants held"}`);
  }
  const m = { workloads, nodes, wall, cpu: (cpu.user + cpu.system) / 1e6, simulated: result.end, admitted };
  console.error(
    `  simulator: ${workloads} workloads, ${nodes} nodes: ${wall.toFixed(1)} s wall, ${m.cpu.toFixed(1)} s CPU, ${result.end} s simulated, ${admitted} admitted`,
  );
  return m;
}

export function simulatorCase(size: SimulatorSize): Figure[] {
  runScenario(kueueLike(50, baselineNodes)); // untimed warm-up: the first timed size is not the JIT's
  const runs = size.workloads.map((n) => measure(n, baselineNodes));
  const first = runs[0]!;
  const perWorkload = (m: Measured) => (m.cpu / m.workloads) * 1000;
  const largest = runs.at(-1)!;
  const figures: Figure[] = runs.map((m) => ({
    case: "simulator",
    subject: `kueue-like ${m.workloads}`,
    metric: `CPU per workload, vs ${first.workloads} workloads`,
    value: perWorkload(m),
    unit: "ms",
    baseline: { name: `${first.workloads} workloads`, value: perWorkload(first) },
    ratio: perWorkload(m) / perWorkload(first),
    ratioUnit: "x",
    note: `${m.wall.toFixed(1)} s wall, ${m.cpu.toFixed(1)} s CPU, ${m.simulated} s simulated, ${m.nodes} nodes`,
  }));
  figures.push({
    case: "simulator",
    subject: `kueue-like ${largest.workloads}`,
    metric: "simulated s / wall s",
    value: largest.simulated / largest.wall,
    unit: "x",
    ratio: largest.simulated / largest.wall,
    ratioUnit: "x",
    goal: { op: ">=", value: 100 },
    note: `${largest.simulated} s simulated in ${largest.wall.toFixed(1)} s wall; goal at 15,000 workloads`,
  });
  const a = measure(size.admission.workloads, size.admission.nodes);
  figures.push({
    case: "simulator",
    subject: `kueue-like ${a.workloads}, ${a.nodes} nodes`,
    metric: "admissions per wall second / 6,800",
    value: a.admitted / a.wall,
    unit: "adm/s",
    ratio: a.admitted / a.wall / 6800,
    ratioUnit: "x",
    goal: { op: ">=", value: 1 },
    note: `${a.admitted} admitted in ${a.wall.toFixed(1)} s wall (${a.cpu.toFixed(1)} s CPU), ${a.simulated} s simulated`,
  });
  return figures;
}
