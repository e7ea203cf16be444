export { Reachability, reachability } from "./closure.js";
export { type ConformOptions, conform, conformAsync, conformEffect } from "./conform.js";
export { Conformance, type LifecycleLookup } from "./conformance.js";
export {
  type ConformReport,
  type ConformStep,
  type ConformTotals,
  type EntitySummary,
  type Observation,
  type Verdict,
  type Violation,
  type ViolationSample,
  type ViolationType,
  violationTypes,
} from "./types.js";
