import { dyffEvaluation } from "./dyff-evaluation.js";
import { runaiTrainingJob } from "./runai-training-job.js";
import type { Subject } from "./subject.js";

export type { Subject } from "./subject.js";

/** Every machine the step case measures; the other cases run on the first. */
export const subjects: readonly Subject[] = [dyffEvaluation, runaiTrainingJob];
