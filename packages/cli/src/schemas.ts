import {
  durationExpected,
  dyffScenarioItems,
  scenarioDuration,
  scenarioFileSchema,
} from "@phasekit/adapter-memory";
import { phases, specJsonSchemaUrl, specJsonVersion } from "@phasekit/core";
import { z } from "zod";

/**
 * The contracts the CLI ships as JSON Schema files (`schema/` in the package): the spec JSON
 * (`phasekit spec --format json`) and scenario files. Both are generated from zod schemas here and
 * in adapter-memory; a test fails when a committed file drifts (`pnpm schema:gen` rewrites them).
 *
 * @module
 */

const column = z.union([z.boolean(), z.number(), z.string(), z.null()]);
const outcome = z.enum(["success", "failure", "early-termination", "deleted"]).nullable();
const leaf = z.object({ status: z.string(), reason: z.string().nullable() }).strict();

/** The spec JSON, version 1, as zod: `{ $schema, version, systems: [{ name, kinds: [...] }] }`. */
export const specContract = z
  .object({
    $schema: z.literal(specJsonSchemaUrl),
    version: z.literal(specJsonVersion),
    systems: z.array(
      z
        .object({
          name: z.string(),
          title: z.string(),
          description: z.string(),
          kinds: z.array(
            z
              .object({
                name: z.string(),
                family: z.string().nullable(),
                initial: z.string(),
                initialReason: z.string().nullable(),
                statuses: z.array(
                  z
                    .object({
                      name: z.string(),
                      terminal: z.boolean(),
                      outcome,
                      reasons: z.array(z.string()),
                      reasonRequired: z.boolean(),
                      description: z.string(),
                      phase: z.enum(phases).meta({ description: "The common phase of the status." }),
                      phaseRationale: z.string().meta({ description: "Why the status is in that phase." }),
                    })
                    .catchall(column)
                    .meta({ description: "A status; system-specific columns are extra fields." }),
                ),
                transitions: z.array(
                  z.object({ from: z.string(), to: z.string(), event: z.string() }).strict(),
                ),
                reasonTransitions: z.array(
                  z
                    .object({
                      from: leaf,
                      event: z.object({ type: z.string(), reason: z.string().nullable() }).strict(),
                      to: leaf,
                    })
                    .strict(),
                ),
                events: z.array(z.object({ name: z.string(), description: z.string() }).strict()),
                notes: z.array(z.string()),
                reasonSources: z
                  .record(z.string(), z.string())
                  .optional()
                  .meta({ description: "Where each reason comes from, for kinds that declare sources." }),
              })
              .strict(),
          ),
          choices: z.array(z.string()),
          differences: z.array(z.string()),
          withoutLifecycle: z
            .array(z.object({ kind: z.string(), note: z.string() }).strict())
            .optional()
            .meta({ description: "Kinds the source declares that have no lifecycle of their own." }),
        })
        .strict(),
    ),
  })
  .strict()
  .meta({
    title: "phasekit spec, version 1",
    description: "The lifecycle reference generated from the machines: `phasekit spec --format json`.",
  });

const durationJson = {
  description: durationExpected,
  anyOf: [
    { type: "number", minimum: 0, description: "seconds" },
    { type: "string", pattern: "^\\s*(\\d+(\\.\\d+)?(ms|s|m|h|d))+\\s*$" },
  ],
};

const tokenJson = () => {
  const { $schema: _, ...scoped } = z.toJSONSchema(dyffScenarioItems.scopedToken);
  return {
    description: "a token string (every verb), or { token, verbs } for some verbs",
    anyOf: [{ type: "string", minLength: 1 }, scoped],
  };
};

/** The JSON Schema files of the package, by file name, as the text committed under `schema/`. */
export function jsonSchemaFiles(): Record<string, string> {
  const scenario = z.toJSONSchema(scenarioFileSchema, {
    io: "input",
    unrepresentable: "any",
    override: (ctx) => {
      // A duration is decoded by a transform; in the file it is text or a number of seconds.
      if (ctx.zodSchema === scenarioDuration) Object.assign(ctx.jsonSchema, durationJson);
      // A token is decoded by a transform too: a string (every verb) or { token, verbs }.
      if (ctx.zodSchema === dyffScenarioItems.token) Object.assign(ctx.jsonSchema, tokenJson());
    },
  });
  const spec = z.toJSONSchema(specContract, { io: "output" });
  const text = (schema: object, id: string) => `${JSON.stringify({ ...schema, $id: id }, null, 2)}\n`;
  return {
    "scenario.schema.json": text(scenario, "https://unpkg.com/@phasekit/cli/schema/scenario.schema.json"),
    "spec.v1.schema.json": text(spec, specJsonSchemaUrl),
  };
}
