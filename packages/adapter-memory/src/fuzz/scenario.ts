import fc from "fast-check";
import { formatDuration } from "../simulator/duration.js";
import { type DyffPart, dyffPart } from "./dyff.js";
import { type RayPart, rayPart } from "./ray.js";
import { type RunaiPart, runaiPart } from "./runai.js";
import { wallarooPart } from "./wallaroo.js";

/**
 * Random scenarios for `phasekit simulate`, every system at once or some of them: the arbitraries
 * behind `phasekit fuzz`, usable by any property test. A generated scenario is an object as a
 * scenario file holds it (durations as text such as `1m30s`), so it can be written as YAML and
 * decoded like any file; it always has an `until` (at most four simulated hours), so work that
 * would go on for ever (a failing pull retried, a continuous task) still ends.
 *
 * @module
 */

/** The systems a generated scenario can hold. */
export const fuzzSystems = ["dyff", "runai", "ray", "wallaroo"] as const;
export type FuzzSystem = (typeof fuzzSystems)[number];

/** A generated scenario, as a scenario file writes it. */
export interface GeneratedScenario {
  readonly seed: number;
  readonly accounts?: Record<string, unknown>;
  readonly cluster?: { readonly nodes: readonly Record<string, unknown>[] };
  readonly runai?: Record<string, unknown>;
  readonly ray?: Record<string, unknown>;
  readonly resources: readonly Record<string, unknown>[];
  readonly events: readonly Record<string, unknown>[];
  readonly faults?: Record<string, unknown>;
  readonly until: string;
}

/** A system left out: no resources, no events, no section. */
const empty: DyffPart & RunaiPart & RayPart = { resources: [], events: [] };

/**
 * A random scenario of the given systems (default: all four): Dyff's accounts, quotas, tokens,
 * dependencies, commands and faults; Run:ai's projects, preemption and outages; Ray's queues,
 * retries, restarts and resumes; Wallaroo's schedules, deployments and wake-ups. It shrinks to
 * fewer resources, events and faults, and smaller numbers, and stays valid as it does.
 *
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { decodeScenario, runScenario } from "@phasekit/adapter-memory";
 * import { scenarioArbitrary } from "@phasekit/adapter-memory/fuzz";
 *
 * fc.assert(
 *   fc.property(scenarioArbitrary({ systems: ["ray"] }), (s) => {
 *     const decoded = decodeScenario(s, "generated");
 *     return !(decoded instanceof DecodeError) && runScenario(decoded).held;
 *   }),
 *   { numRuns: 20 },
 * );
 * ```
 */
export function scenarioArbitrary(
  options: { readonly systems?: readonly FuzzSystem[] } = {},
): fc.Arbitrary<GeneratedScenario> {
  const systems = new Set(options.systems ?? fuzzSystems);
  return fc
    .record({
      seed: fc.nat(),
      until: fc.integer({ min: 60, max: 4 * 3600 }),
      dyff: systems.has("dyff") ? dyffPart() : fc.constant(empty),
      runai: systems.has("runai") ? runaiPart() : fc.constant(empty),
      ray: systems.has("ray") ? rayPart() : fc.constant(empty),
      wallaroo: systems.has("wallaroo") ? wallarooPart() : fc.constant(empty),
    })
    .map(({ seed, until, dyff, runai, ray, wallaroo }) => ({
      seed,
      ...(dyff.accounts && { accounts: dyff.accounts }),
      ...(dyff.cluster && { cluster: dyff.cluster }),
      ...(runai.runai && { runai: runai.runai }),
      ...(ray.ray && { ray: ray.ray }),
      resources: [...dyff.resources, ...runai.resources, ...ray.resources, ...wallaroo.resources],
      events: [...dyff.events, ...runai.events, ...ray.events, ...wallaroo.events],
      ...(dyff.faults && { faults: dyff.faults }),
      until: formatDuration(until * 1000),
    }));
}
