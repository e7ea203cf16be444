import { decodeScenario, runScenario, type Scenario } from "@phasekit/adapter-memory";
import { DecodeError } from "@phasekit/core";
import { forceGc } from "../harness.js";
import type { Figure } from "../report.js";

/**
 * The simulator at scale (issue 9, item 6), on the workload of Kueue's scheduler performance test
 * (kubernetes-sigs/kueue `test/performance/scheduler/configs/baseline/generator.yaml`): 5 cohorts
 * of 6 ClusterQueues, each with a nominal quota of 20 and 500 workloads: 350 small (request 1,
 * runtime 200, one every 100), 100 medium (5, 500, every 500), 50 large (20, 1000, every 1200).
 * Kueue's times are milliseconds; here they are seconds ("realistic run times": a queue's work then
 * spans about a day, the day the simulator should replay in seconds). A ClusterQueue is an account
 * with a GPU quota of 20, a workload a Dyff Model (a computational kind without dependencies)
 * requesting that many GPUs. What phasekit does not model: cohort borrowing and preemption by
 * priority (admission is first come, first served per account), so queues drain more slowly than in
 * Kueue. The cluster has room for everything (as in Kueue's test, quota is the only limit).
 *
 * Sizes scale by the number of accounts (500 workloads each), so every account lives the same day
 * at every size and the growth figures measure the cost of scale alone.
 */
export interface SimulatorSize {
  /** Workload counts of the growth series (multiples of 500); the one of 15,000 is Kueue's baseline. */
  readonly workloads: readonly number[];
  /**
   * The admission run: this many workloads created at once on `nodes` nodes of 8 GPU, batched
   * (`batchCreates`); `oneByOne`: also the same burst settled after each create (info only).
   */
  readonly admission: { readonly workloads: number; readonly nodes: number; readonly oneByOne: boolean };
}

const perAccount = [
  { name: "small", count: 350, gpu: 1, takes: 200, every: 100 },
  { name: "medium", count: 100, gpu: 5, takes: 500, every: 500 },
  { name: "large", count: 50, gpu: 20, takes: 1000, every: 1200 },
] as const;
const workloadsPerAccount = perAccount.reduce((n, c) => n + c.count, 0);
/** Kueue's baseline: 15,000 workloads in 351 s of wall time (the average of its CI runs; research/performance.md). */
export const kueueBaseline = { workloads: 15_000, wallSeconds: 351 } as const;

const decoded = (input: unknown, name: string): Scenario => {
  const scenario = decodeScenario(input, name);
  if (scenario instanceof DecodeError) throw new Error(scenario.message);
  return scenario;
};

/** Kueue's baseline scaled to `workloads` (500 per account, 30 accounts at 15,000). */
export function kueueLike(workloads: number): Scenario {
  const accounts: Record<string, { quota: { gpu: number }; tokens: string[] }> = {};
  const resources: { kind: "Model"; id: string; account: string; gpu: number; takes: number; at: number }[] =
    [];
  for (let a = 0; a < Math.max(1, Math.round(workloads / workloadsPerAccount)); a++) {
    const account = `cohort${Math.floor(a / 6) + 1}-cq${(a % 6) + 1}`;
    accounts[account] = { quota: { gpu: 20 }, tokens: [`t-${account}`] };
    for (const c of perAccount)
      for (let i = 0; i < c.count; i++)
        resources.push({
          kind: "Model",
          id: `${account}-${c.name}-${i}`,
          account,
          gpu: c.gpu,
          takes: c.takes,
          at: i * c.every,
        });
  }
  resources.sort((x, y) => x.at - y.at);
  return decoded({ seed: 1, accounts, resources }, "kueue-like");
}

/**
 * A burst: `workloads` Models created at once over 30 accounts whose quotas hold them all, on
 * `nodes` nodes of 8 GPU (requests of 1, 2 and 4 GPU), run until one simulated second after the
 * burst: every workload admitted and placed on a node, none finished (they take 10 minutes).
 */
export function admissionBurst(workloads: number, nodes: number): Scenario {
  const accounts: Record<string, { quota: { gpu: number }; tokens: string[] }> = {};
  const names = Array.from({ length: 30 }, (_, i) => `acct-${i}`);
  for (const name of names)
    accounts[name] = { quota: { gpu: Math.ceil((nodes * 8) / 30) }, tokens: [`t-${name}`] };
  const resources = Array.from({ length: workloads }, (_, i) => ({
    kind: "Model" as const,
    id: `w${i}`,
    account: names[i % 30]!,
    gpu: [1, 2, 4][Math.floor(i / 30) % 3]!,
    takes: 600,
    at: 0,
  }));
  const cluster = { nodes: Array.from({ length: nodes }, (_, i) => ({ name: `n${i}`, gpu: 8 })) };
  return decoded({ seed: 1, accounts, cluster, resources, until: 1 }, "admission-burst");
}

interface Measured {
  readonly workloads: number;
  readonly wall: number;
  readonly cpu: number;
  readonly simulated: number;
  readonly admitted: number;
}

/** How a run settles: after every create and step finish (the default), or batched where exact. */
interface Settling {
  readonly batchCreates?: boolean;
  readonly batchFinishes?: boolean;
}
/**
 * Kueue's baseline is measured batched: creates of one instant and step finishes of one instant
 * each settle once, which ends as one by one (statuses, each account's admissions and their times,
 * every entity's history: the property tests of batches.test.ts and finishes.test.ts); only the
 * order of one instant's journal differs. The default, a settle after each, is an info row.
 */
const batched: Settling = { batchCreates: true, batchFinishes: true };

function measure(
  scenario: Scenario,
  label: string,
  mustFinish: boolean,
  settling: Settling = {},
  warmUp?: () => void,
): Measured {
  const workloads = scenario.resources.length;
  forceGc();
  warmUp?.();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = runScenario(scenario, settling);
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  const admitted = result.timeline.filter((e) => e.status === "Admitted").length;
  const ready = result.final.filter((f) => f.status === "Ready").length;
  if (!result.held || (mustFinish ? ready : admitted) !== workloads) {
    const broken = result.invariants.filter((i) => !i.held).map((i) => `${i.name}: ${i.detail}`);
    throw new Error(
      `simulator ${label}: ${ready} Ready, ${admitted} admitted of ${workloads}; ${broken.join("; ") || "invariants held"}`,
    );
  }
  const m = { workloads, wall, cpu: (cpu.user + cpu.system) / 1e6, simulated: result.end, admitted };
  console.error(
    `  simulator ${label}: ${wall.toFixed(1)} s wall, ${m.cpu.toFixed(1)} s CPU, ${Math.round(result.end)} s simulated, ${admitted} admitted`,
  );
  return m;
}

const perWorkload = (m: Measured) => (m.cpu / m.workloads) * 1000;

/**
 * Runs the burst `how` (batched: `batchCreates`; one by one: a settle after every create) `rounds`
 * times and gives the row of the run with the median CPU time: admissions per CPU second against
 * issue 17's 6,800. One run of about a second moves with a collection or a neighbour's burst of
 * work; the median of three does not.
 */
function burstFigure(
  burst: Scenario,
  nodes: number,
  how: "batched" | "one by one",
  rounds: number,
  goal: number | undefined,
  note: (m: Measured) => string,
): Figure {
  const settling = { batchCreates: how === "batched" };
  // After the forced collection, an untimed burst of 1,000: a forced full GC makes V8 drop optimized
  // code (`--trace-opt`: ~370 functions recompiled in the timed run after it, 20-60 without), and
  // recompiling cost each timed run ~0.3 s of CPU on V8's background threads, which a process
  // running bursts back to back does not pay (BENCHMARKS.md).
  const warmUp = () => void runScenario(admissionBurst(1000, nodes), settling);
  const runs = Array.from({ length: rounds }, () =>
    measure(burst, `admission burst, ${how}`, false, settling, warmUp),
  ).sort((a, b) => a.cpu - b.cpu);
  const m = runs[Math.floor(runs.length / 2)]!;
  const range =
    runs.length > 1
      ? `; median of ${runs.length} runs, ${runs[0]!.cpu.toFixed(2)}-${runs[runs.length - 1]!.cpu.toFixed(2)} s CPU`
      : "";
  return {
    case: "simulator",
    subject: `burst of ${m.workloads} on ${nodes} nodes`,
    metric: `end to end, ${how}: admissions per CPU second / 6,800`,
    value: m.admitted / m.cpu,
    unit: "adm/s",
    ratio: m.admitted / m.cpu / 6800,
    ratioUnit: "x",
    ...(goal !== undefined && { goal: { op: ">=" as const, value: goal } }),
    note: note(m) + range,
  };
}

/** Kueue's wall time for its baseline over ours, for a run of Kueue's size. */
function kueueFigure(m: Measured, how: string, goal: number | undefined, note: string): Figure {
  return {
    case: "simulator",
    subject: `kueue-like ${m.workloads}${how}`,
    metric: "Kueue's wall time for its baseline / ours",
    value: m.wall,
    unit: "s",
    baseline: { name: "Kueue CI, 351 s", value: kueueBaseline.wallSeconds },
    ratio: kueueBaseline.wallSeconds / m.wall,
    ratioUnit: "x",
    ...(goal !== undefined && { goal: { op: ">=" as const, value: goal } }),
    note,
  };
}

export function simulatorCase(size: SimulatorSize): Figure[] {
  runScenario(kueueLike(500), batched); // untimed warm-up: the first timed size is not the JIT's
  const runs = size.workloads.map((n) => measure(kueueLike(n), `kueue-like ${n}, batched`, true, batched));
  const first = runs[0]!;
  const figures: Figure[] = runs.map((m) => ({
    case: "simulator",
    subject: `kueue-like ${m.workloads}`,
    metric: `CPU per workload, vs ${first.workloads} workloads`,
    value: perWorkload(m),
    unit: "ms",
    baseline: { name: `${first.workloads} workloads`, value: perWorkload(first) },
    ratio: perWorkload(m) / perWorkload(first),
    ratioUnit: "x",
    ...(m === first ? {} : { goal: { op: "<=" as const, value: 1.5 } }),
    note: `${m.wall.toFixed(1)} s wall, ${m.cpu.toFixed(1)} s CPU, ${Math.round(m.simulated)} s simulated`,
  }));
  const baseline = runs.find((m) => m.workloads === kueueBaseline.workloads);
  if (!baseline) {
    // Quick mode: the largest size, scaled linearly to 15,000 (the growth figures above hold it linear).
    const last = runs[runs.length - 1]!;
    const wall = (last.wall / last.workloads) * kueueBaseline.workloads;
    figures.push({
      case: "simulator",
      subject: `kueue-like ${last.workloads}, scaled to ${kueueBaseline.workloads}`,
      metric: "Kueue's wall time for its baseline / ours",
      value: wall,
      unit: "s",
      baseline: { name: "Kueue CI, 351 s", value: kueueBaseline.wallSeconds },
      ratio: kueueBaseline.wallSeconds / wall,
      ratioUnit: "x",
      goal: { op: ">=", value: 100 },
      note: `${last.wall.toFixed(1)} s wall for ${last.workloads} workloads, times ${kueueBaseline.workloads / last.workloads}; issue 17's goal, so quick mode fails below half of it (50x)`,
    });
  } else {
    figures.push({
      case: "simulator",
      subject: `kueue-like ${baseline.workloads}`,
      metric: "simulated s / wall s",
      value: baseline.simulated / baseline.wall,
      unit: "x",
      ratio: baseline.simulated / baseline.wall,
      ratioUnit: "x",
      goal: { op: ">=", value: 100 },
      note: `${Math.round(baseline.simulated)} s (${(baseline.simulated / 3600).toFixed(1)} h) simulated in ${baseline.wall.toFixed(1)} s wall`,
    });
    figures.push(
      kueueFigure(
        baseline,
        "",
        100,
        `${baseline.cpu.toFixed(1)} s CPU, creates and step finishes of one instant settled once (batchCreates, batchFinishes); Kueue runs its real controllers on millisecond run times (issue 17's goal: >= 100x)`,
      ),
    );
    runScenario(kueueLike(500)); // untimed warm-up of the default path
    const one = measure(kueueLike(baseline.workloads), `kueue-like ${baseline.workloads}, one by one`, true);
    figures.push(
      kueueFigure(
        one,
        ", one by one",
        undefined,
        `the default: a settle after every create and every step finish, ${one.cpu.toFixed(1)} s CPU`,
      ),
    );
  }
  const burst = admissionBurst(size.admission.workloads, size.admission.nodes);
  runScenario(admissionBurst(1000, size.admission.nodes), { batchCreates: true }); // untimed warm-up
  // Issue 17's goal, in quick mode too (which fails below half of it, 0.5x): CPU time, which the
  // machine's load stretches less than wall time, the median of three runs.
  figures.push(
    burstFigure(
      burst,
      size.admission.nodes,
      "batched",
      3,
      1,
      (a) =>
        `${a.admitted} created through the command API (authorization, validation, the event log) in batches that settle once (batchCreates), folded, viewed and admitted in ${a.cpu.toFixed(2)} s CPU (${a.wall.toFixed(2)} s wall), invariant checks included`,
    ),
  );
  if (size.admission.oneByOne)
    figures.push(
      burstFigure(
        burst,
        size.admission.nodes,
        "one by one",
        1,
        undefined,
        (one) =>
          `the same burst with a settle of every service after each create (the default; a scenario's timeline): ${one.cpu.toFixed(2)} s CPU (${one.wall.toFixed(2)} s wall)`,
      ),
    );
  return figures;
}
