import * as z from "zod";
import { dyffKind, entityId, resources } from "./entity.js";
import { dyffLifecycle } from "./family.js";

/**
 * Evaluation: runs an InferenceSession against a Dataset (the inference step), then verifies the
 * outputs (the verification step, Admitted/Unverified). InferenceFailed can only happen in the first
 * stage and VerificationFailed only in the second.
 */
export const evaluationLifecycle = dyffLifecycle({
  kind: "Evaluation",
  family: "job",
  computes: true,
  verifies: true,
  workFailures: ["InferenceFailed", "VerificationFailed"],
  failureStage: { InferenceFailed: "inference", VerificationFailed: "verification" },
});

export const evaluation = dyffKind(
  evaluationLifecycle,
  z
    .object({
      inferenceSession: z
        .object({ inferenceService: entityId, replicas: z.number().int().positive().default(1) })
        .strict(),
      dataset: entityId,
      resources: resources.default({ gpu: 0, cpu: 0, memoryGiB: 0 }),
    })
    .strict(),
  (s) => [s.inferenceSession.inferenceService, s.dataset],
);
