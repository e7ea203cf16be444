import { distributedJobLifecycle } from "./distributed-job.js";
import { interactiveJobLifecycle } from "./interactive-job.js";
import type { RunaiJobType } from "./statuses.js";
import { trainingJobLifecycle } from "./training-job.js";

/** The machine of each Run:ai job type. */
export const runaiLifecycleOf = {
  training: trainingJobLifecycle,
  interactive: interactiveJobLifecycle,
  distributed: distributedJobLifecycle,
} as const satisfies Record<RunaiJobType, unknown>;
