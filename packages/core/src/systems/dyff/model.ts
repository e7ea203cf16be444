import * as z from "zod";
import { dyffKind, resources } from "./entity.js";
import { dyffLifecycle } from "./family.js";

/** Model: fetches model data from a remote source (e.g. weights from a hub); FetchFailed when that fails. */
export const modelLifecycle = dyffLifecycle({
  kind: "Model",
  family: "artifact",
  computes: true,
  workFailures: ["FetchFailed"],
});

export const model = dyffKind(
  modelLifecycle,
  z
    .object({
      source: z.string().default(""),
      resources: resources.default({ gpu: 0, cpu: 0, memoryGiB: 0 }),
    })
    .strict(),
  () => [],
);
