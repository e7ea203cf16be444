import * as z from "zod";
import { dyffKind, entityId, resources } from "./entity.js";
import { dyffLifecycle, genericWorkFailure } from "./family.js";

/** SafetyCase: like a Measurement, an analysis job over a Method and its inputs (Failed/WorkflowFailed when it fails). */
export const safetyCaseLifecycle = dyffLifecycle({
  kind: "SafetyCase",
  family: "job",
  computes: true,
  workFailures: [genericWorkFailure],
});

export const safetyCase = dyffKind(
  safetyCaseLifecycle,
  z
    .object({
      method: entityId,
      inputs: z.array(entityId).default([]),
      resources: resources.default({ gpu: 0, cpu: 0, memoryGiB: 0 }),
    })
    .strict(),
  (s) => [s.method, ...s.inputs],
);
