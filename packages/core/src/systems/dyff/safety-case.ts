import { dyffKind } from "./entity.js";
import { dyffLifecycle, genericWorkFailure } from "./family.js";
import { methodAnalysisNeeds, methodAnalysisSpec } from "./measurement.js";

/** SafetyCase: like a Measurement, an analysis job over a Method and its inputs (Failed/WorkflowFailed when it fails). */
export const safetyCaseLifecycle = dyffLifecycle({
  kind: "SafetyCase",
  family: "job",
  computes: true,
  workFailures: [genericWorkFailure],
});

export const safetyCase = dyffKind(safetyCaseLifecycle, methodAnalysisSpec, methodAnalysisNeeds);
