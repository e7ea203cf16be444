import * as Effect from "effect/Effect";
import { DecodeError } from "../lifecycle/errors.js";
import { Conformance, type LifecycleLookup } from "./conformance.js";
import type { ConformReport, Observation, Verdict, ViolationSample } from "./types.js";

/** Options of {@link conform}, {@link conformAsync} and {@link conformEffect}. */
export interface ConformOptions {
  /** Called with every verdict, in input order (e.g. to print violations as they arrive). */
  readonly onVerdict?: (verdict: Verdict) => void;
  /** Where lifecycles come from (default: the catalog). */
  readonly lookup?: LifecycleLookup;
  /** How many violating verdicts the report keeps (all are counted); default 10 per entity, 1,000 in all. */
  readonly sample?: ViolationSample;
}

/**
 * Judges a whole observed history at once: the {@link ConformReport}, or the {@link DecodeError} of
 * the first observation naming an unknown system or kind or a time that is not one. Pure.
 *
 * @example
 * ```ts
 * import { conform } from "@phasekit/core";
 * const report = conform([
 *   { system: "runai", kind: "TrainingJob", id: "j", status: "Pending", reason: null, at: 0 },
 *   { system: "runai", kind: "TrainingJob", id: "j", status: "Succeeded", reason: null, at: 5 },
 *   { system: "runai", kind: "TrainingJob", id: "j", status: "Running", reason: null, at: 9 },
 * ]);
 * report.ok; // false: after-terminal, Succeeded -> Running
 * ```
 */
export function conform(
  observations: Iterable<Observation>,
  options: ConformOptions = {},
): ConformReport | DecodeError {
  const c = new Conformance(options.lookup, options.sample);
  for (const o of observations) {
    const v = c.observe(o);
    if (v instanceof DecodeError) return v;
    options.onVerdict?.(v);
  }
  return c.report();
}

async function run(
  observations: Iterable<Observation> | AsyncIterable<Observation>,
  options: ConformOptions,
): Promise<ConformReport> {
  const c = new Conformance(options.lookup, options.sample);
  for await (const o of observations) {
    const v = c.observe(o);
    if (v instanceof DecodeError) throw v;
    options.onVerdict?.(v);
  }
  return c.report();
}

/**
 * {@link conform} over a stream (an async iterable, such as a reader of a watch): resolves with the
 * report when the stream ends, rejects with the {@link DecodeError} of a bad observation (or what the
 * stream threw). Only one entry per entity is kept while it runs.
 *
 * @example
 * ```ts
 * import { conformAsync } from "@phasekit/core";
 * const report = await conformAsync(observationsFrom(stream), { onVerdict: (v) => v.step === "violation" && console.log(v) });
 * ```
 */
export function conformAsync(
  observations: Iterable<Observation> | AsyncIterable<Observation>,
  options: ConformOptions = {},
): Promise<ConformReport> {
  return run(observations, options);
}

/**
 * {@link conformAsync} as an Effect: fails with the {@link DecodeError} of a bad observation.
 *
 * @example
 * ```ts
 * import { conformEffect } from "@phasekit/core";
 * const report = yield* conformEffect(observations);
 * ```
 */
export const conformEffect = (
  observations: Iterable<Observation> | AsyncIterable<Observation>,
  options: ConformOptions = {},
): Effect.Effect<ConformReport, DecodeError> =>
  Effect.tryPromise({
    try: () => run(observations, options),
    catch: (error) =>
      error instanceof DecodeError
        ? error
        : new DecodeError("observations", [
            { path: "$", value: String(error), expected: "a readable stream" },
          ]),
  });
