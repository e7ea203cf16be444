/**
 * mulberry32: a tiny seeded PRNG (32-bit state), so every stream the benchmark builds is the same from
 * run to run and machine to machine. Never Math.random: a ratio measured on a different stream is not
 * comparable with the last one.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed every case starts from (research/performance.md used 42 too). */
export const SEED = 42;
