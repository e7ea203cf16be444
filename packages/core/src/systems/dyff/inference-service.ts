import * as z from "zod";
import { dyffKind, entityId, resources } from "./entity.js";
import { dyffLifecycle } from "./family.js";

/** InferenceService: builds a serving container for a Model; BuildFailed when the build fails. */
export const inferenceServiceLifecycle = dyffLifecycle({
  kind: "InferenceService",
  family: "artifact",
  computes: true,
  workFailures: ["BuildFailed"],
});

export const inferenceService = dyffKind(
  inferenceServiceLifecycle,
  z
    .object({ model: entityId.optional(), resources: resources.default({ gpu: 0, cpu: 0, memoryGiB: 0 }) })
    .strict(),
  (s) => (s.model ? [s.model] : []),
);
