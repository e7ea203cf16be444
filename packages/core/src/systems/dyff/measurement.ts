import * as z from "zod";
import { dyffKind, entityId, resources } from "./entity.js";
import { dyffLifecycle, genericWorkFailure } from "./family.js";

/** Measurement: runs a Method's analysis over its inputs (a job: Complete, or Failed/WorkflowFailed when the run fails). */
export const measurementLifecycle = dyffLifecycle({
  kind: "Measurement",
  family: "job",
  computes: true,
  workFailures: [genericWorkFailure],
});

/**
 * The spec of an analysis job over a Method and its inputs (Measurement, SafetyCase), and what it
 * depends on: the Method, then each input.
 *
 * @example
 * ```ts
 * dyffKind(safetyCaseLifecycle, methodAnalysisSpec, methodAnalysisNeeds);
 * ```
 */
export const methodAnalysisSpec = z
  .object({
    method: entityId,
    inputs: z.array(entityId).default([]),
    resources: resources.default({ gpu: 0, cpu: 0, memoryGiB: 0 }),
  })
  .strict();
export const methodAnalysisNeeds = (s: z.output<typeof methodAnalysisSpec>): string[] => [
  s.method,
  ...s.inputs,
];

export const measurement = dyffKind(measurementLifecycle, methodAnalysisSpec, methodAnalysisNeeds);
