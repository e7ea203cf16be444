/**
 * `@phasekit/adapter-memory/fuzz`: random scenarios for the simulator (fast-check arbitraries of
 * every system, usable in any property test), the fuzzer that runs them with every invariant
 * checked and shrinks a failure, and the transition coverage of the runs. `phasekit fuzz` is its
 * command line. Needs `fast-check` (an optional peer dependency of this package).
 *
 * @packageDocumentation
 */
export { type MachineCoverage, type Transition, TransitionCoverage } from "./coverage.js";
export {
  admissionLedger,
  type DifferentialOutcome,
  type LedgerComparison,
  memoryOutcome,
  outcomeDifferences,
  outcomeOf,
  type RunRecords,
} from "./differential.js";
export { type DyffPart, dyffPart } from "./dyff.js";
export {
  type FuzzFailure,
  type FuzzOptions,
  type FuzzProgress,
  type FuzzReport,
  failureYaml,
  fuzz,
} from "./fuzz.js";
export { type RayPart, rayPart } from "./ray.js";
export { type RunaiPart, runaiPart } from "./runai.js";
export { type FuzzSystem, fuzzSystems, type GeneratedScenario, scenarioArbitrary } from "./scenario.js";
export { type WallarooPart, wallarooPart } from "./wallaroo.js";
