/**
 * Timing and heap primitives. Every figure is a ratio against a baseline measured in the same process:
 * contenders run interleaved (round r starts with contender r mod n), after a forced GC, and a ratio is
 * the median of the per-round ratios, so a slow patch on a shared machine hits both sides alike.
 *
 * Time is CPU time (`process.cpuUsage`: user + system, every thread of the process, so the GC's
 * helper threads count), not wall time: on a machine that other jobs share, wall time counts the
 * moments the scheduler gave the core to someone else, and moved ratios by 2x where CPU time held
 * within a few percent.
 */

/** Forces a full GC when node runs with --expose-gc (the bench script passes it). */
export function forceGc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export const canForceGc = (): boolean => typeof (globalThis as { gc?: unknown }).gc === "function";

/** Bytes of live JS heap after a forced GC. */
export function liveHeap(): number {
  forceGc();
  return process.memoryUsage().heapUsed;
}

/** One side of a comparison: how many operations one call of `run` performs. */
export interface Contender {
  readonly name: string;
  readonly ops: number;
  /** Untimed preparation before each timed run (for example a fresh Map). */
  readonly setup?: () => void;
  readonly run: () => unknown;
  /** Untimed, after each timed run (for example to weigh what it built). */
  readonly after?: () => void;
}

/** Throughput of every round, in operations per CPU second, by contender name. */
export type Rounds = Record<string, number[]>;

/** Keeps results reachable so the JIT cannot drop the work that made them. */
export const sink: unknown[] = [];

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs every contender `warmup` times untimed, then `rounds` times interleaved and timed. */
export function race(contenders: readonly Contender[], rounds: number, warmup = 1): Rounds {
  const out: Rounds = {};
  for (const c of contenders) out[c.name] = [];
  for (let w = 0; w < warmup; w++) {
    for (const c of contenders) {
      c.setup?.();
      sink[0] = c.run();
    }
  }
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(r + k) % contenders.length]!;
      c.setup?.();
      forceGc();
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      sink[0] = c.run();
      const cpu = process.cpuUsage(cpu0);
      const ms = (cpu.user + cpu.system) / 1000;
      out[c.name]!.push((c.ops / ms) * 1000);
      c.after?.();
      if (process.env.BENCH_VERBOSE) {
        console.error(`  ${c.name}: ${ms.toFixed(1)} ms CPU, ${(performance.now() - t0).toFixed(1)} ms wall`);
      }
    }
  }
  return out;
}

/** The median over rounds of `a[i] / b[i]`: how many times faster a was than b in the same round. */
export function pairedRatio(rounds: Rounds, a: string, b: string): number {
  const xs = rounds[a]!;
  const ys = rounds[b]!;
  return median(xs.map((x, i) => x / ys[i]!));
}
