import { DecodeError } from "@phasekit/core";
import fc from "fast-check";
import { stringify } from "yaml";
import type { InvariantResult } from "../simulator/invariants.js";
import { type RunOptions, runScenario } from "../simulator/run.js";
import { decodeScenario } from "../simulator/scenario.js";
import { type MachineCoverage, TransitionCoverage } from "./coverage.js";
import { type FuzzSystem, fuzzSystems, type GeneratedScenario, scenarioArbitrary } from "./scenario.js";

/**
 * The fuzzer: generated scenarios run through the simulator with every invariant checked; the
 * first one that breaks an invariant is shrunk (by fast-check) to the smallest scenario that still
 * breaks that same invariant, and reported with what reproduces it.
 *
 * @module
 */

export interface FuzzOptions {
  /** How many scenarios to generate (at most; `timeLimitMs` may stop sooner). */
  readonly runs: number;
  /** fast-check's seed: the same seed and options generate the same scenarios. */
  readonly seed: number;
  /** The systems the scenarios hold (default all four). */
  readonly systems?: readonly FuzzSystem[];
  /** Wall-clock milliseconds after which no new scenario is generated (shrinking included). */
  readonly timeLimitMs?: number;
  /** A rule broken on purpose in the simulator (the fuzzer's own tests). */
  readonly mutation?: RunOptions["mutation"];
  /** Called after each scenario run: generated runs so far, failures so far, and whether it is shrinking. */
  readonly onRun?: (progress: FuzzProgress) => void;
}

export interface FuzzProgress {
  readonly runs: number;
  readonly failures: number;
  readonly shrinks: number;
}

/** The smallest failing scenario found, and what broke. */
export interface FuzzFailure {
  /** The shrunk scenario, as a scenario file holds it. */
  readonly scenario: GeneratedScenario;
  /** The invariant it breaks (the first one broken by the scenario first found). */
  readonly invariant: InvariantResult;
  /** The scenario first found, before shrinking. */
  readonly original: GeneratedScenario;
  /** Successful shrink steps. */
  readonly shrinks: number;
  /** fast-check's path to the counterexample: with the seed, `fc.assert(..., { seed, path })` replays it. */
  readonly path: string;
}

export interface FuzzReport {
  readonly seed: number;
  readonly systems: readonly FuzzSystem[];
  /** Scenarios generated and run (the shrinking runs not counted). */
  readonly runs: number;
  /** Failing scenarios found among them (the fuzzer stops at the first). */
  readonly failures: number;
  readonly failure: FuzzFailure | null;
  /** True when the time limit stopped the run before `runs` scenarios. */
  readonly interrupted: boolean;
  /** Transition coverage of the generated runs, per machine of the systems fuzzed. */
  readonly coverage: readonly MachineCoverage[];
}

/** What a generated scenario's run broke: the invariants that did not hold (empty: none). */
function broken(scenario: GeneratedScenario, mutation: RunOptions["mutation"]) {
  const decoded = decodeScenario(scenario, "generated scenario");
  if (decoded instanceof DecodeError)
    return {
      timeline: [],
      broken: [{ name: "the generated scenario is valid", held: false, detail: decoded.message }],
    };
  try {
    const result = runScenario(decoded, mutation === undefined ? {} : { mutation });
    return { timeline: result.timeline, broken: result.invariants.filter((i) => !i.held) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      timeline: [],
      broken: [{ name: "the simulator ran to the end without an exception", held: false, detail }],
    };
  }
}

/**
 * Generates and runs scenarios until one breaks an invariant (then shrinks it), `runs` have held,
 * or the time limit passes.
 *
 * @example
 * ```ts
 * const report = fuzz({ runs: 200, seed: 1, systems: ["dyff"] });
 * report.failure?.invariant.name; // e.g. "no quota was ever exceeded", or undefined when none broke
 * ```
 */
export function fuzz(options: FuzzOptions): FuzzReport {
  const systems = options.systems ?? fuzzSystems;
  const coverage = new TransitionCoverage(systems);
  let runs = 0;
  let shrinks = 0;
  /** The invariant the first failure broke: shrinking keeps only scenarios that break it too. */
  let target: InvariantResult | null = null;
  let last: InvariantResult | null = null;
  let original: GeneratedScenario | null = null;
  const property = fc.property(scenarioArbitrary({ systems }), (scenario) => {
    const run = broken(scenario, options.mutation);
    if (target === null) {
      runs++;
      coverage.add(run.timeline);
      target = run.broken[0] ?? null;
      last = target;
      if (target) original = scenario;
      options.onRun?.({ runs, failures: target ? 1 : 0, shrinks });
      return target === null;
    }
    const same = run.broken.find((i) => i.name === target!.name);
    if (same) {
      shrinks++;
      last = same;
    }
    options.onRun?.({ runs, failures: 1, shrinks });
    return same === undefined;
  });
  const details = fc.check(property, {
    seed: options.seed,
    numRuns: options.runs,
    ...(options.timeLimitMs !== undefined && {
      interruptAfterTimeLimit: options.timeLimitMs,
      markInterruptAsFailure: false,
    }),
  });
  const failure: FuzzFailure | null =
    details.failed && details.counterexample && last
      ? {
          scenario: details.counterexample[0],
          invariant: last,
          original: original ?? details.counterexample[0],
          shrinks: details.numShrinks,
          path: details.counterexamplePath ?? "",
        }
      : null;
  return {
    seed: options.seed,
    systems,
    runs,
    failures: failure ? 1 : 0,
    failure,
    interrupted: details.interrupted && failure === null && runs < options.runs,
    coverage: coverage.report(),
  };
}

/**
 * The failing scenario as a YAML file `phasekit simulate` runs as it is, with what broke, the
 * fuzzer's seed and how to reproduce it in a comment at the top.
 *
 * @example
 * ```ts
 * writeFileSync("fuzz-failure.yaml", failureYaml(report.failure!, report.seed, "fuzz-failure.yaml"));
 * ```
 */
export function failureYaml(failure: FuzzFailure, fuzzSeed: number, file: string): string {
  const comment = (text: string) =>
    text
      .split("\n")
      .map((l) => `# ${l}`.trimEnd())
      .join("\n");
  const header = [
    `phasekit fuzz found a scenario that breaks an invariant (fuzz seed ${fuzzSeed}, path ${failure.path}, shrunk in ${failure.shrinks} steps).`,
    `broken: ${failure.invariant.name}`,
    `detail: ${failure.invariant.detail ?? "(none)"}`,
    `reproduce: phasekit simulate ${file}`,
  ].join("\n");
  return `${comment(header)}\n${stringify(failure.scenario, { lineWidth: 0 })}`;
}
