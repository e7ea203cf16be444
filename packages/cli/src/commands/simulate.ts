import { readFileSync } from "node:fs";
import {
  formatDuration,
  historyJsonl,
  parseScenario,
  readWallarooZips,
  renderJsonl,
  renderText,
  runScenario,
  type SimulatorMutation,
  simulationHistory,
} from "@phasekit/adapter-memory";
import { DecodeError, historyText } from "@phasekit/core";
import type { Command } from "../command.js";
import { exit, type Io, inputName, readInput, UsageError } from "../io.js";

export const simulateHelp = `phasekit simulate <file> [--format text|jsonl] [--seed N] [--entity ID] [--html F] [--kafka B] [--kube K]

Runs a scenario file (YAML or JSON, see docs/scenarios.md) in the in-memory simulator: the Dyff
control plane over simulated logs, cluster and clock, with the scenario's faults injected. Prints
the status timeline as the query view saw it, the final statuses and the invariants checked.
A file "-" is standard input. \`phasekit validate <file>\` only checks a scenario.
  --format text   a readable timeline and a final table (default)
  --format jsonl  one JSON record per line: status changes and notes (commands, refusals, faults)
                  as they happened, then the invariants and a summary (docs/simulator.md)
  --seed N        overrides the scenario's seed (same seed, same output)
  --entity ID     prints that entity's history instead, as kubectl describe prints Events: each
                  status change with its time, phase, event and cause, the commands sent to it
                  (refused ones with why), and what else happened to it (text, or --format jsonl)
  --html F        also writes the run's page to F, as \`phasekit view\` does (docs/view.md); with
                  --entity, that entity is selected when the page opens
Exit code: 0 every invariant held, 1 one broke, 2 bad usage or a bad scenario file.`;

const formats = ["text", "jsonl"] as const;

/** How often, at most, the progress line on a terminal is redrawn (wall-clock milliseconds). */
const progressEveryMs = 100;

/** The --seed flag as a number (undefined when not given); a UsageError naming what was expected. */
export function parseSeed(seed: string | undefined): number | undefined {
  if (seed === undefined) return undefined;
  const n = Number(seed);
  if (!/^\d+$/.test(seed) || n > 0xffffffff) {
    throw new UsageError(`--seed: got "${seed}", expected a whole number from 0 to ${0xffffffff}`);
  }
  return n;
}

/**
 * The progress line's text: simulated time done of the total, and the percent when the scenario
 * has an end (\`until\`); without one, the time reached only.
 *
 * @example
 * ```ts
 * progressText("a.yaml", 90_000, 360_000); // "simulating a.yaml: 1m30s / 6m (25%)"
 * ```
 */
export function progressText(file: string, now: number, until: number | undefined): string {
  if (until === undefined || until <= 0) return `simulating ${file}: ${formatDuration(now)}`;
  const percent = Math.min(100, Math.floor((now / until) * 100));
  return `simulating ${file}: ${formatDuration(now)} / ${formatDuration(until)} (${percent}%)`;
}

/**
 * A progress line on stderr, redrawn at most every {@link progressEveryMs}, only on a terminal that
 * takes escape codes (\`io.interactive\`: stderr is a TTY and TERM is not "dumb"); nothing otherwise.
 */
function progress(io: Io, file: string) {
  if (!io.interactive) return { update: undefined, done: () => {} };
  let last = Number.NEGATIVE_INFINITY; // the first instant is always shown
  let shown = false;
  return {
    update: (now: number, until: number | undefined) => {
      const wall = performance.now();
      if (wall - last < progressEveryMs) return;
      last = wall;
      shown = true;
      io.err(`\r${progressText(file, now, until)}\x1b[K`);
    },
    done: () => shown && io.err("\r\x1b[K"),
  };
}

/**
 * `phasekit simulate`: reads, checks and runs a scenario, prints its timeline, returns the exit code.
 *
 * @example
 * ```ts
 * const code = simulate({ file: "examples/quota-wait.yaml", format: "jsonl" }, processIo);
 * ```
 */
export async function simulate(
  options: {
    file: string | undefined;
    format?: string | undefined;
    seed?: string | undefined;
    entity?: string | undefined;
    html?: string | undefined;
    /** A rule broken on purpose in the simulator: for tests only, never a flag. */
    mutation?: SimulatorMutation | undefined;
  },
  io: Io,
): Promise<number> {
  const format = options.format ?? "text";
  if (!(formats as readonly string[]).includes(format)) {
    throw new UsageError(`--format: got "${format}", expected one of ${formats.join(", ")}`);
  }
  if (options.file === undefined) throw new UsageError("expected a scenario file: phasekit simulate <file>");
  const seed = parseSeed(options.seed);
  const name = inputName(options.file);
  const scenario = loadScenario(options.file, io);
  if (typeof scenario === "string") {
    io.err(`phasekit simulate: ${scenario}\n`);
    return exit.usage;
  }
  const shown = progress(io, name);
  const result = runScenario(scenario, {
    ...(seed !== undefined && { seed }),
    ...(shown.update && { onProgress: shown.update }),
    ...(options.mutation !== undefined && { mutation: options.mutation }),
  });
  shown.done();
  if (options.entity !== undefined) {
    const history = simulationHistory(result, options.entity);
    if (history instanceof DecodeError) {
      io.err(`phasekit simulate: ${name}: ${history.message}\n`);
      return exit.usage;
    }
    io.out(format === "jsonl" ? historyJsonl(history) : historyText(history));
  }
  const jsonl =
    (format === "jsonl" && options.entity === undefined) || options.html !== undefined
      ? renderJsonl(result)
      : "";
  if (options.entity === undefined) io.out(format === "jsonl" ? jsonl : renderText(result, name));
  if (options.html !== undefined) {
    // The page loads only when it is asked for.
    const { writeRunPage } = await import("./view.js");
    await writeRunPage(jsonl, name, options.html, io, result, options.entity);
  }
  return result.held ? exit.ok : exit.failed;
}

/**
 * Reads and decodes a scenario file ("-": stdin), with the Wallaroo zips it names; the decode
 * error's message when it is not a scenario.
 */
export function loadScenario(file: string, io: Io) {
  const scenario = readWallarooZips(
    parseScenario(readInput(file, io), inputName(file)),
    file === "-" ? "" : file,
    (p) => readFileSync(p),
  );
  return scenario instanceof DecodeError ? scenario.message : scenario;
}

export const command: Command = {
  help: `${simulateHelp}
  --kafka B       run the scenario's event and state logs on a real Kafka at B (host:port[,...]);
                  the cluster, key-value store and view stay simulated. Same invariants, and the final
                  statuses are compared with the in-memory run without faults. Dyff scenarios only.
  --prefix P      topic prefix for --kafka (default: phasekit-sim-<random>, new topics every run)
  --kube K        play the scenario's Dyff resources with the cluster on a real Kubernetes API server
                  (K: a kubeconfig file, or in-cluster for the pod's ServiceAccount; the Dyff CRDs
                  installed there): steps run as Jobs and Deployments in real time, a fail event as a
                  pod that exits 1 (kwok's stage annotation). Simulated time cannot drive real pods, so
                  the scenario's times only order the creations; no faults, no terminate, delete or
                  label events. Prints each final status beside the in-memory run's; exit 1 if one
                  differs. The workflow objects are deleted at the end.`,
  options: {
    format: { type: "string" },
    seed: { type: "string" },
    entity: { type: "string" },
    html: { type: "string" },
    kafka: { type: "string" },
    prefix: { type: "string" },
    kube: { type: "string" },
  },
  run: async (v, p, io) => {
    if (p.length > 1) throw new UsageError(`expected one scenario file, got ${p.length}: ${p.join(" ")}`);
    const [format, seed, kafka, prefix, entity, html] = [
      v.format,
      v.seed,
      v.kafka,
      v.prefix,
      v.entity,
      v.html,
    ] as (string | undefined)[];
    if (v.kube !== undefined) {
      const given = ["seed", "entity", "html", "kafka", "prefix"].filter((o) => v[o] !== undefined);
      if (given.length > 0)
        throw new UsageError(`${given.map((o) => `--${o}`).join(", ")}: not with --kube (a real-time play)`);
      const { simulateOnKube } = await import("./simulate-kube.js");
      return simulateOnKube({ file: p[0], kube: v.kube as string, format }, io);
    }
    if (kafka !== undefined) {
      if (entity !== undefined) throw new UsageError("--entity runs in memory only; drop --kafka to use it");
      if (html !== undefined) throw new UsageError("--html goes with the in-memory run, not with --kafka");
      // The Kafka client loads only when it is asked for.
      const { simulateOnKafka } = await import("./simulate-kafka.js");
      return simulateOnKafka({ file: p[0], format, seed, kafka, prefix }, io);
    }
    if (prefix !== undefined) throw new UsageError("--prefix goes with --kafka");
    return simulate({ file: p[0], format, seed, entity, html }, io);
  },
};
