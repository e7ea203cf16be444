import * as z from "zod";
import { dyffKind } from "./entity.js";
import { dyffLifecycle } from "./family.js";

/**
 * Dataset: the data goes from the user's machine straight to storage, so the workflow never enters
 * Admitted: it is Ready once the upload is done.
 */
export const datasetLifecycle = dyffLifecycle({
  kind: "Dataset",
  family: "artifact",
  computes: false,
  workFailures: [],
});

export const dataset = dyffKind(
  datasetLifecycle,
  z.object({ name: z.string().default("") }).strict(),
  () => [],
);
