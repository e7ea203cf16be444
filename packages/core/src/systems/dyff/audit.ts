import * as z from "zod";
import { dyffKind, entityId, resources } from "./entity.js";
import { dyffLifecycle, genericWorkFailure } from "./family.js";

/** Audit: a job over an InferenceService; the seed names no audit-specific failure reason, so a failed run is WorkflowFailed. */
export const auditLifecycle = dyffLifecycle({
  kind: "Audit",
  family: "job",
  computes: true,
  workFailures: [genericWorkFailure],
});

export const audit = dyffKind(
  auditLifecycle,
  z
    .object({
      auditProcedure: entityId.optional(),
      inferenceService: entityId,
      resources: resources.default({ gpu: 0, cpu: 0, memoryGiB: 0 }),
    })
    .strict(),
  (s) => [...(s.auditProcedure ? [s.auditProcedure] : []), s.inferenceService],
);
