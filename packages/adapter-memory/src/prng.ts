/**
 * A small seeded pseudo-random generator (mulberry32), so that every fault the memory backend
 * injects is reproducible from one seed. Not for cryptography.
 *
 * @module
 */

/** A deterministic stream of pseudo-random numbers. */
export interface Prng {
  /** The seed this stream started from. */
  readonly seed: number;
  /** A float in [0, 1). */
  readonly next: () => number;
  /** An integer in [min, max] (both included). */
  readonly int: (min: number, max: number) => number;
  /** True with probability `p` (0: never, 1: always). */
  readonly chance: (p: number) => boolean;
  /** A new, independent stream derived from this seed and `label` (drawing from it leaves this one alone). */
  readonly fork: (label: string) => Prng;
}

/** FNV-1a over the string's UTF-16 code units: a stable 32-bit hash (also the memory log's partitioner). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A mulberry32 stream from a 32-bit seed. Forks are keyed by label, so adding a consumer of
 * randomness in one part of the backend does not change the faults drawn in another.
 *
 * @example
 * ```ts
 * const prng = makePrng(7);
 * prng.int(1, 6); // the same roll for seed 7, every run
 * const faults = prng.fork("events"); // an independent stream
 * ```
 */
export function makePrng(seed: number): Prng {
  const start = seed >>> 0;
  let state = start;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed: start,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => p > 0 && next() < p,
    fork: (label) => makePrng(hash32(`${start}/${label}`)),
  };
}
