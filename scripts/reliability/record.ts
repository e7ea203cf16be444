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
