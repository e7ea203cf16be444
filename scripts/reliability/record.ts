import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * One reliability figure, as a test measured it: the fault, the load it held, how often the fault
 * was injected, and the three counts of RELIABILITY.md (null: this test does not measure it).
 * Tests write one JSON file each under `test-results/reliability/` (or PHASEKIT_RELIABILITY_DIR);
 * `pnpm reliability:doc` assembles RELIABILITY.md from them.
 */
export interface ReliabilityFigure {
  /** A stable id, the file's name: `sim-duplicate-30`, `kafka-sigkill-aggregator`. */
  readonly id: string;
  readonly fault: string;
  /** Where it ran: `simulator (in memory)`, `real Kafka broker` ... */
  readonly backend: string;
  readonly load: string;
  readonly injected: string;
  readonly lostStatusChanges: number | null;
  readonly doubleAdmissions: number | null;
  readonly quotaBreaches: number | null;
  /** The command that reproduces the figure. */
  readonly command: string;
  /** The test that measured it: `file > name`. */
  readonly test: string;
}

const root = new URL("../../", import.meta.url).pathname;

/** Where the figures are written and read. */
export const reliabilityDir = () =>
  process.env.PHASEKIT_RELIABILITY_DIR ?? join(root, "test-results", "reliability");

/** Writes one figure (a test calls it once it has measured). */
export function recordReliability(figure: ReliabilityFigure): void {
  const dir = reliabilityDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${figure.id}.json`),
    `${JSON.stringify({ ...figure, measuredAt: new Date().toISOString() }, null, 2)}\n`,
  );
}

/**
 * One differential run (issue 19, part 2), as a test measured it: the same generated scenarios on
 * the memory adapter and on real backends, and how many of them ended differently (final statuses,
 * admissions, the quota ledger record by record). Written as `differential-<backends>.json`.
 */
export interface DifferentialFigure {
  /** A stable id, the file's name: `differential-kafka`. */
  readonly id: `differential-${string}`;
  /** What ran against the memory adapter: `real Kafka broker` ... */
  readonly backend: string;
  readonly scenarios: number;
  readonly entities: number;
  /** What was compared, record by record. */
  readonly compared: string;
  /** Scenarios with at least one difference, and the differences in all. */
  readonly differingScenarios: number;
  readonly differences: number;
  readonly command: string;
  readonly test: string;
}

/** Writes one differential figure (a test calls it once every scenario has run on both sides). */
export function recordDifferential(figure: DifferentialFigure): void {
  const dir = reliabilityDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${figure.id}.json`),
    `${JSON.stringify({ kind: "differential", ...figure, measuredAt: new Date().toISOString() }, null, 2)}\n`,
  );
}
