import { loadavg } from "node:os";
import { runScenario } from "@phasekit/adapter-memory";
import { kueueBaseline, kueueLike } from "./cases/simulator.js";
import { forceGc } from "./harness.js";

/**
 * The Kueue-like run settled four ways, interleaved in one process: after every create and every
 * step finish (the default, what `pnpm bench --only simulator` measures), with the step finishes of
 * one instant settled once (`batchFinishes`), with bursts of creates settled once (`batchCreates`),
 * and with both. Each configuration ends with every workload Ready and every invariant held (it
 * throws otherwise). Usage (from the repository root):
 *
 *     node --expose-gc --conditions=@phasekit/source --import tsx bench/kueue-batched.ts [workloads] [cycles]
 *
 * (default 15,000 workloads, Kueue's baseline, two cycles). Prints CPU and wall seconds, Kueue's
 * 351 s over the wall time (scaled to 15,000 workloads for another size), and the rounds of each run.
 */
const workloads = Number(process.argv[2] ?? kueueBaseline.workloads);
const cycles = Number(process.argv[3] ?? 2);
if (!Number.isInteger(workloads) || workloads < 500 || workloads % 500 !== 0)
  throw new Error(`kueue-batched: workloads: got ${process.argv[2]}, expected a multiple of 500, e.g. 15000`);

const configs = [
  { batchCreates: false, batchFinishes: false },
  { batchCreates: false, batchFinishes: true },
  { batchCreates: true, batchFinishes: false },
  { batchCreates: true, batchFinishes: true },
] as const;

for (const options of configs) runScenario(kueueLike(500), options); // untimed warm-up of each path
for (let cycle = 0; cycle < cycles; cycle++)
  for (const options of configs) {
    const scenario = kueueLike(workloads);
    forceGc();
    const load = loadavg()[0]!.toFixed(1);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = runScenario(scenario, options);
    const cpu = process.cpuUsage(cpu0);
    const wall = (performance.now() - t0) / 1000;
    const ready = result.final.filter((f) => f.status === "Ready").length;
    if (!result.held || ready !== workloads)
      throw new Error(
        `kueue-batched ${JSON.stringify(options)}: ${ready} Ready of ${workloads}, held ${result.held}`,
      );
    console.log(
      [
        `${workloads} workloads`,
        `batchCreates ${options.batchCreates ? "on " : "off"}`,
        `batchFinishes ${options.batchFinishes ? "on " : "off"}`,
        `${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU`,
        `${wall.toFixed(2)} s wall`,
        // Kueue's 351 s are for 15,000 workloads: a smaller run is scaled (linear, BENCHMARKS.md).
        `Kueue ${(kueueBaseline.wallSeconds / ((wall * kueueBaseline.workloads) / workloads)).toFixed(1)}x`,
        `${result.stats.rounds} rounds`,
        `load ${load}`,
      ].join(", "),
    );
  }
