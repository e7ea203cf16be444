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

export const measurement = dyffKind(
  measurementLifecycle,
  z
    .object({
      method: entityId,
      inputs: z.array(entityId).default([]),
      resources: resources.default({ gpu: 0, cpu: 0, memoryGiB: 0 }),
    })
    .strict(),
  (s) => [s.method, ...s.inputs],
);
