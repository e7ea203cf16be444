import * as z from "zod";
import { dyffKind } from "./entity.js";
import { dyffLifecycle } from "./family.js";

/** Module: uploaded code for analyses; like a Dataset, no computation, Created -> Ready. */
export const moduleLifecycle = dyffLifecycle({
  kind: "Module",
  family: "artifact",
  computes: false,
  workFailures: [],
});

export const module = dyffKind(
  moduleLifecycle,
  z.object({ name: z.string().default("") }).strict(),
  () => [],
);
