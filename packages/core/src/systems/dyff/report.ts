import * as z from "zod";
import { dyffKind, entityId, resources } from "./entity.js";
import { dyffLifecycle } from "./family.js";

/** Report: runs a report over a Complete Evaluation; RunFailed when the run fails. */
export const reportLifecycle = dyffLifecycle({
  kind: "Report",
  family: "job",
  computes: true,
  workFailures: ["RunFailed"],
});

export const report = dyffKind(
  reportLifecycle,
  z
    .object({
      evaluation: entityId,
      modules: z.array(entityId).default([]),
      resources: resources.default({ gpu: 0, cpu: 0, memoryGiB: 0 }),
    })
    .strict(),
  (s) => [s.evaluation, ...s.modules],
);
