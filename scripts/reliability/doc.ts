import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type ReliabilityFigure, reliabilityDir } from "./record.js";

// Assembles RELIABILITY.md from the figures the tests wrote under test-results/reliability/
// (`pnpm reliability:doc`). Only what a test measured is claimed: every fault the document must
// cover is listed, and one without a figure says which test would measure it, or that none does.

/** One figure a fault needs: its id, and what the document says while no test has written it. */
interface Wanted {
  readonly id: string;
  readonly otherwise: string;
}

const serveKill = (service: string, test: string, otherwise?: string): Wanted => ({
  id: `kafka-sigkill-${service}`,
  otherwise: otherwise ?? `the ${service}: \`${test}\` measures it; it has not written its figure here yet.`,
});

/** The faults RELIABILITY.md covers (issue 19, part 3), with the figures that answer each. */
const faults: readonly {
  readonly fault: string;
  readonly wanted: readonly Wanted[];
  /** What the figures leave out even when all are written. */
  readonly notYet?: string;
}[] = [
  {
    fault: "SIGKILL of each `serve` process under load",
    wanted: [
      serveKill("aggregator", "packages/cli/src/commands/serve.int.test.ts"),
      serveKill("sink", "packages/cli/src/commands/serve-sink.int.test.ts"),
      serveKill("orchestrator", "packages/cli/src/commands/serve-stores.int.test.ts"),
      serveKill("operator", "packages/cli/src/commands/serve-kill-cluster.int.test.ts"),
      serveKill("informer", "packages/cli/src/commands/serve-kill-cluster.int.test.ts"),
    ],
  },
  {
    fault: "broker restart",
    wanted: [
      {
        id: "kafka-broker-restart",
        otherwise:
          '`packages/cli/src/commands/serve.int.test.ts` ("the broker stopped and restarted") measures it on a private broker of its own (scripts/kafka/broker.sh on other ports); it has not written its figure here yet.',
      },
    ],
  },
  {
    fault: "API server restart, and the watch's `410 Gone` after it",
    wanted: [
      {
        id: "k8s-apiserver-restart",
        otherwise:
          "`packages/adapter-k8s/src/watch/list-watch.int.test.ts` restarts the API server and counts the status transitions lost (410 Gone, relist); it has not written its figure here yet.",
      },
    ],
  },
  { fault: "30% duplicated deliveries", wanted: [{ id: "sim-duplicate-30", otherwise: "" }] },
  { fault: "crash before commit", wanted: [{ id: "sim-crash-before-commit", otherwise: "" }] },
  {
    fault: "records of different entities reordered; stale cluster reads",
    wanted: [
      { id: "sim-reorder", otherwise: "" },
      { id: "sim-stale-reads", otherwise: "" },
    ],
  },
  {
    fault: "a poison message on each topic",
    wanted: ["events", "state"].map((topic) => ({
      id: `kafka-poison-${topic}`,
      otherwise: `the ${topic} topic: \`packages/runtime/src/testing/poison.int.test.ts\` measures it; it has not written its figure here yet.`,
    })),
  },
  {
    fault: "a fuzzed decoder",
    wanted: [
      {
        id: "fuzzed-decoder",
        otherwise:
          "`packages/runtime/src/testing/fuzzed-decoders.test.ts` measures it; it has not written its figure here yet.",
      },
    ],
  },
];

/** The differential runs (issue 19, part 2) the document reports. */
const differentials: readonly Wanted[] = [
  {
    id: "differential-kafka",
    otherwise:
      "on Kafka: `packages/runtime/src/kafka/differential.int.test.ts` measures it; it has not written its figure here yet.",
  },
  {
    id: "differential-kubernetes",
    otherwise:
      "on Kafka and Kubernetes: `packages/e2e/src/differential-kubernetes.int.test.ts` measures it; it has not written its figure here yet.",
  },
];

interface DifferentialFigure {
  readonly backend: string;
  readonly scenarios: number;
  readonly entities: number;
  readonly compared: string;
  readonly differingScenarios: number;
  readonly differences: number;
  readonly command: string;
}

const count = (n: number | null) => (n === null ? "not counted" : String(n));

/** The figures the tests wrote in `dir`, by id. */
export function readFigures(dir: string): Map<string, ReliabilityFigure> {
  const figures = new Map<string, ReliabilityFigure>();
  if (existsSync(dir))
    for (const f of readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      const figure = JSON.parse(readFileSync(join(dir, f), "utf8"));
      figures.set(figure.id, figure);
    }
  return figures;
}

/** RELIABILITY.md from the figures: a row for each one a fault needs, a line for each missing. */
export function renderReliability(figures: ReadonlyMap<string, ReliabilityFigure>): string {
  const lines = [
    "# Reliability figures",
    "",
    "What each fault cost the Dyff control plane, as the tests measured it: the load the run held, how",
    "often the fault was injected, and the counts of status changes lost, double admissions and quota",
    "breaches (the goal: 0, 0, 0). Generated by `pnpm reliability:doc` from the figures the tests write",
    "under `test-results/reliability/`; each row names the command that measures it again. A fault",
    "without a figure says why: only what a test measured is claimed here.",
    "",
    "| fault | backend | load | injected | lost status changes | double admissions | quota breaches | reproduce |",
    "|---|---|---|---|---|---|---|---|",
  ];
  const missing: string[] = [];
  for (const f of faults) {
    for (const w of f.wanted) {
      const x = figures.get(w.id);
      if (x)
        lines.push(
          `| ${x.fault} | ${x.backend} | ${x.load} | ${x.injected} | ${count(x.lostStatusChanges)} | ${count(x.doubleAdmissions)} | ${count(x.quotaBreaches)} | \`${x.command}\` |`,
        );
      else missing.push(`- **${f.fault}**: ${w.otherwise || "its test has not written a figure yet."}`);
    }
    if (f.notYet) missing.push(`- **${f.fault}**: ${f.notYet}`);
  }
  lines.push(
    "",
    "## Differential runs",
    "",
    "The same generated Dyff scenarios (`phasekit fuzz`'s arbitraries, a fixed seed) run on the memory",
    "adapter and on the real backends; a difference is one field of one entity that the two runs end",
    "with differently.",
    "",
    "| backends | scenarios | entities | compared | scenarios that differ | differences | reproduce |",
    "|---|---|---|---|---|---|---|",
  );
  for (const w of differentials) {
    const x = figures.get(w.id) as unknown as DifferentialFigure | undefined;
    if (x)
      lines.push(
        `| ${x.backend} | ${x.scenarios} | ${x.entities} | ${x.compared} | ${x.differingScenarios} | ${x.differences} | \`${x.command}\` |`,
      );
    else missing.push(`- **differential runs**: ${w.otherwise}`);
  }
  lines.push(
    "",
    "## Not measured here",
    "",
    ...(missing.length > 0 ? missing : ["Every fault this document covers has its figure above."]),
    "",
  );
  lines.push(
    "The simulator's figures force one fault on the same generated scenarios (`phasekit fuzz`'s",
    "arbitraries, a fixed seed) and compare each run with the same scenario without it: a status change",
    "is lost when the run without the fault wrote it and the faulty run's state log does not have it, in",
    "order; a double admission is an entity that entered Admitted twice or a workflow object created",
    "twice; a quota breach is an account over a limit after any service's step.",
    "",
    "The figures on real backends count against what the run must end with: a status change is lost",
    "when an entity's state log (or the view, for the sink) lacks a version the fault-free run or the",
    "replay of its event log has, or a status the workload must reach (Created, Admitted, then",
    "Terminated or, where the work runs on Kubernetes, Ready);",
    "a double admission is an entity that entered Admitted twice; a quota breach is an admission that",
    "took its account over its slots, from the orchestrator's admission records. `not counted`: the",
    "process killed holds no admission or quota (the aggregator, the sink) or the test watches",
    "statuses only (the API server restart).",
    "",
  );
  return lines.join("\n");
}

function main(): void {
  const dir = reliabilityDir();
  const figures = readFigures(dir);
  writeFileSync(new URL("../../RELIABILITY.md", import.meta.url), renderReliability(figures));
  console.log(`RELIABILITY.md: ${figures.size} figures from ${dir}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
