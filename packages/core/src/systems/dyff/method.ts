import * as z from "zod";
import { dyffKind, entityId } from "./entity.js";
import { dyffLifecycle } from "./family.js";

/** Method: a description of an analysis over Modules; no computation of its own, Created -> Ready. */
export const methodLifecycle = dyffLifecycle({
  kind: "Method",
  family: "artifact",
  computes: false,
  workFailures: [],
});

export const method = dyffKind(
  methodLifecycle,
  z.object({ modules: z.array(entityId).default([]) }).strict(),
  (s) => s.modules,
);
