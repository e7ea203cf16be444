import * as z from "zod";
import { dyffKind, entityId, resources } from "./entity.js";
import { dyffLifecycle, genericWorkFailure } from "./family.js";

/**
 * InferenceSession: replicas of an InferenceService behind a Service; Ready once it serves (and it goes
 * on serving until Deleted), Error/WorkflowFailed when its deployment fails first.
 */
export const inferenceSessionLifecycle = dyffLifecycle({
  kind: "InferenceSession",
  family: "artifact",
  computes: true,
  workFailures: [genericWorkFailure],
});

export const inferenceSession = dyffKind(
  inferenceSessionLifecycle,
  z
    .object({
      inferenceService: entityId,
      replicas: z.number().int().positive().default(1),
      resources: resources.default({ gpu: 0, cpu: 0, memoryGiB: 0 }),
    })
    .strict(),
  (s) => [s.inferenceService],
);
