import { z } from "zod";
import { dyffScenarioItems, scenarioShape } from "./scenario.js";
import { durationField } from "./systems/fields.js";
import { rayEvent, raySection, rayWorkflow } from "./systems/ray/scenario.js";
import { runaiEvent, runaiJob, runaiSection } from "./systems/runai/scenario.js";
import {
  wallarooDeploymentEvent,
  wallarooDeploymentResource,
} from "./systems/wallaroo-deployment/scenario.js";
import {
  wallarooOrchestrationResource,
  wallarooTaskEvent,
  wallarooTaskResource,
} from "./systems/wallaroo-tasks/scenario.js";

/**
 * The shape of a whole scenario file as written, every system at once: what an editor checks
 * against (its JSON Schema is generated from this, `phasekit`'s `schema/scenario.schema.json`).
 * It is the union of the per-system schemas the decoder uses; the cross-field rules (ids exist,
 * needs have the right kinds, ...) are the decoder's alone, so `phasekit validate` says more.
 *
 * @example
 * ```ts
 * const jsonSchema = z.toJSONSchema(scenarioFileSchema, { io: "input", unrepresentable: "any" });
 * ```
 */
export const scenarioFileSchema = scenarioShape
  .extend({
    accounts: scenarioShape.shape.accounts.optional(),
    resources: z
      .array(
        z.union([
          dyffScenarioItems.resource,
          runaiJob,
          rayWorkflow,
          wallarooDeploymentResource,
          wallarooOrchestrationResource,
          wallarooTaskResource,
        ]),
      )
      .optional(),
    events: z
      .array(
        z.union([dyffScenarioItems.event, runaiEvent, rayEvent, wallarooDeploymentEvent, wallarooTaskEvent]),
      )
      .optional(),
    runai: runaiSection.optional(),
    ray: raySection.optional(),
  })
  .meta({
    title: "phasekit scenario",
    description:
      "A scenario for `phasekit simulate`: accounts, cluster, resources, events, faults, until. See docs/scenarios.md.",
  });

/** The duration field every system's schema uses: text such as `1h30m`, or a number of seconds. */
export const scenarioDuration = durationField;
