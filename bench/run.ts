import { join } from "node:path";
import { admissionCase } from "./cases/admission.js";
import { bundleCase } from "./cases/bundle.js";
import { cliStartupCase } from "./cases/cli-startup.js";
import { conformCase } from "./cases/conform.js";
import { controlHeapCase } from "./cases/control-heap.js";
import { dedupeCase } from "./cases/dedupe.js";
import { ingestCase } from "./cases/ingest.js";
import { pageCase } from "./cases/page.js";
import { replayCase } from "./cases/replay.js";
import { simulatorCase } from "./cases/simulator.js";
import { stepCase } from "./cases/step.js";
import { canForceGc } from "./harness.js";
import { kafkaCase } from "./kafka.js";
import { type Figure, machine, table, verdict, writeResults } from "./report.js";
import { type Subject, subjects } from "./subjects/index.js";

/**
 * `pnpm bench`: every case, each ratio against a baseline measured in the same process, printed as
 * a table and written to bench/results/<time>.json and latest.json. `pnpm bench:quick` runs the same
 * cases small (seconds) and writes nothing. Both exit 1 when a ratio is worse than half its goal (or
 * a cross-check finds a mismatch); wall-clock times are printed, never asserted.
 *
 * Flags: `--quick`; `--only step,replay` to run some cases; `--simulator-sizes 1000,100000` for
 * the simulator's growth series. A case is a function from a subject (a machine: bench/subjects) to
 * figures; the Kafka case needs a broker (PHASEKIT_KAFKA_BROKERS) and is skipped without one.
 */
const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const onlyAt = argv.indexOf("--only");
const only = onlyAt >= 0 ? new Set((argv[onlyAt + 1] ?? "").split(",")) : null;
const sizesAt = argv.indexOf("--simulator-sizes");
const simulatorSizes = sizesAt >= 0 ? (argv[sizesAt + 1] ?? "").split(",").map(Number) : null;
if (simulatorSizes?.some((n) => !(Number.isInteger(n) && n >= 500 && n % 500 === 0))) {
  console.error(
    `bench: --simulator-sizes: got ${argv[sizesAt + 1]}, expected workload counts, multiples of 500, e.g. 1000,15000`,
  );
  process.exit(2);
}

/** A case, its sizes (full and quick), and whether it runs on every subject or on Dyff's Evaluation only. */
type Case = {
  readonly name: string;
  readonly every: boolean;
  readonly run: (subject: Subject) => Figure[] | Promise<Figure[]>;
};
const cases: Case[] = [
  {
    name: "step",
    every: true,
    run: (s) =>
      stepCase(
        s,
        quick
          ? { events: 200_000, xstateEvents: 1_000, live: 1000, rounds: 7, noise: 0.05 }
          : { events: 2_000_000, xstateEvents: 20_000, live: 1000, rounds: 7, noise: 0.05 },
      ),
  },
  {
    name: "ingest",
    every: false,
    run: (s) =>
      ingestCase(
        s,
        quick
          ? { messages: 30_000, live: 10_000, rounds: 5 }
          : { messages: 150_000, live: 10_000, rounds: 7 },
      ),
  },
  {
    name: "dedupe",
    every: false,
    run: (s) =>
      dedupeCase(
        s,
        quick
          ? { events: 100_000, live: 10_000, partitions: 12, rounds: 3 }
          : { events: 1_000_000, live: 10_000, partitions: 12, rounds: 5 },
      ),
  },
  {
    // On the real broker in PHASEKIT_KAFKA_BROKERS; skipped (with a note) without one. Quick mode
    // guards the goal at half (25%) with three rounds, on whatever broker the tests left behind.
    name: "kafka",
    every: false,
    run: () => kafkaCase({ events: 30_000, rounds: quick ? 3 : 5 }),
  },
  {
    // Issue 9 item 6: Kueue's baseline (15,000 workloads) and its growth from 1,000; 100,000 with
    // `--simulator-sizes 1000,15000,100000` (several minutes). Quick mode guards linearity small.
    name: "simulator",
    every: false,
    run: () =>
      simulatorCase(
        quick
          ? { workloads: [500, 2000], admission: { workloads: 5000, nodes: 5000, oneByOne: false } }
          : {
              workloads: simulatorSizes ?? [1000, 5000, 15_000],
              admission: { workloads: 10_000, nodes: 5000, oneByOne: true },
            },
      ),
  },
  {
    // Issue 9 item 6, the admission step at 5,000 nodes (the simulator case also reports a burst end to end).
    name: "admission",
    every: false,
    run: () =>
      admissionCase(
        quick
          ? { workloads: 5000, nodes: 5000, rounds: 3, withGoal: false }
          : { workloads: 10_000, nodes: 5000, rounds: 5, withGoal: true },
      ),
  },
  {
    // Issue 16: what a browser bundle of one core entry weighs, and what importing core costs Node.
    // Measures the built dist (run `pnpm build` first), as a consumer installs it.
    name: "bundle",
    every: false,
    run: () => bundleCase({ rounds: quick ? 3 : 9 }),
  },
  {
    // Issue 16: `phasekit --help` from the built CLI, in child processes, against `node -e 0`.
    name: "cli-startup",
    every: false,
    run: () => cliStartupCase({ rounds: quick ? 5 : 15 }),
  },
  {
    // Issue 21: `phasekit conform` over a million JSONL records of 100,000 entities, against JSON.parse.
    name: "conform",
    every: false,
    run: (s) =>
      conformCase(
        s,
        quick
          ? { records: 100_000, entities: 10_000, rounds: 3 }
          : { records: 1_000_000, entities: 100_000, rounds: 5 },
      ),
  },
  {
    // Issue 18: the run's page with 10,000 entities in headless Chromium (skipped without it).
    name: "page",
    every: false,
    run: () => pageCase(quick ? { entities: 10_000, rounds: 1 } : { entities: 10_000, rounds: 5 }),
  },
  {
    // Issue 17: heap per finished entity of the orchestrator on the memory adapter, flat to a million.
    name: "control-heap",
    every: false,
    run: () =>
      controlHeapCase(quick ? { entities: 100_000, batch: 5000 } : { entities: 1_000_000, batch: 10_000 }),
  },
  {
    // Last: it holds a million records, and the heap figures want nothing else alive.
    name: "replay",
    every: false,
    run: (s) =>
      replayCase(
        s,
        quick
          ? { events: 200_000, live: 20_000, rounds: 3, noise: 0.05, xstateHeapEntities: 0 }
          : { events: 10_000_000, live: 1_000_000, rounds: 3, noise: 0.05, xstateHeapEntities: 20_000 },
      ),
  },
];

if (!canForceGc()) {
  console.error("bench: run with `node --expose-gc` (pnpm bench does): heap figures need a forced GC");
  process.exit(2);
}
const startedAt = new Date();
const figures: Figure[] = [];
const seconds: Record<string, { wall: number; cpu: number }> = {};
for (const c of cases) {
  if (only && !only.has(c.name)) continue;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (const subject of c.every ? subjects : subjects.slice(0, 1)) figures.push(...(await c.run(subject)));
  const cpu = process.cpuUsage(cpu0);
  const took = {
    wall: Math.round(performance.now() - t0) / 1000,
    cpu: Math.round((cpu.user + cpu.system) / 1000) / 1000,
  };
  seconds[c.name] = took;
  console.error(`bench: ${c.name} done in ${took.wall} s (${took.cpu} s CPU)`);
}

const env = machine();
console.log(
  `\n${env.cpuModel}, ${env.cores} cores, ${env.memoryGiB} GiB, Node ${env.node}${quick ? " (quick)" : ""}\n`,
);
console.log(table(figures));
for (const f of figures) if (f.note) console.log(`  ${f.case} / ${f.metric}: ${f.note}`);

const bad = figures.filter((f) => verdict(f) === "regressed");
if (!quick) {
  const file = writeResults(
    join(import.meta.dirname, "results"),
    {
      startedAt: startedAt.toISOString(),
      command: "pnpm bench",
      machine: env,
      seconds,
      figures: figures.map((f) => ({ ...f, verdict: verdict(f) })),
    },
    startedAt,
  );
  console.log(`\nwrote ${file}`);
}
if (bad.length > 0) {
  console.error(
    `\nbench: ${bad.length} figure(s) worse than half their goal: ${bad.map((f) => `${f.case} ${f.metric}`).join("; ")}`,
  );
  process.exit(1);
}
