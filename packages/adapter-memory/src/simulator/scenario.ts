import { type DecodeError, decode, entityId, labels } from "@phasekit/core";
import { z } from "zod";
import { checkScenario } from "./scenario-checks.js";
import { durationField } from "./systems/fields.js";
import { decodeWithSystems, type SystemsScenario, type WithSystemsInput } from "./systems/scenario.js";

/**
 * The scenario file: who may do what (accounts, quotas, tokens), the cluster's nodes, the resources
 * created and when, what happens to them (events), the faults to inject, and when to stop.
 * `docs/scenarios.md` documents every field. Durations are kept as milliseconds after decoding.
 *
 * @module
 */

/** Kinds a scenario can create, and the systems it can run them on (`system` is reserved for issue 6). */
export const scenarioKinds = [
  "Model",
  "Dataset",
  "InferenceService",
  "InferenceSession",
  "Evaluation",
  "Report",
] as const;
export type ScenarioKind = (typeof scenarioKinds)[number];
export const scenarioSystems = ["dyff"] as const;

/** The verbs a token may grant (the Authorizer port's). */
export const scenarioVerbs = ["create", "terminate", "delete", "label", "get"] as const;

const duration = durationField;

const count = z.number().int().nonnegative();
const amount = z.number().nonnegative();

const quota = z
  .object({
    gpu: count.optional(),
    cpu: amount.optional(),
    memoryGiB: amount.optional(),
    /** Workflows admitted at once: each admitted workflow holds one slot until it ends. */
    slots: count.optional(),
    /** The old name of `slots`, refused with a message that names the new one. */
    admissions: z.never({ error: "no such field: it is now called slots (write slots: N)" }).optional(),
  })
  .strict();

/** A token with only some verbs: `{ token, verbs: [get] }`. */
const scopedToken = z.object({ token: z.string().min(1), verbs: z.array(z.enum(scenarioVerbs)) }).strict();

const token = z.unknown().transform((input, ctx) => {
  if (typeof input === "string" && input.length > 0) return { token: input, verbs: [...scenarioVerbs] };
  const parsed = scopedToken.safeParse(input);
  if (parsed.success) return parsed.data;
  ctx.addIssue({
    code: "custom",
    message: `a token string (every verb) or { token, verbs: [${scenarioVerbs.join(", ")}] }`,
    input,
  });
  return z.NEVER;
});

const account = z.object({ quota: quota.default({}), tokens: z.array(token).default([]) }).strict();

const node = z
  .object({
    name: z.string().min(1),
    gpu: count.default(0),
    cpu: amount.default(0),
    memoryGiB: amount.default(0),
  })
  .strict();

const resource = z
  .object({
    kind: z.enum(scenarioKinds),
    id: entityId,
    account: z.string().min(1),
    system: z.enum(scenarioSystems).default("dyff"),
    needs: z.array(entityId).default([]),
    gpu: count.optional(),
    cpu: amount.optional(),
    memoryGiB: amount.optional(),
    takes: duration.optional(),
    at: duration.default(0),
    uploadedAt: z.union([duration, z.null()]).optional(),
    labels: labels.default({}),
    token: z.string().min(1).optional(),
  })
  .strict();

const event = z
  .object({
    at: duration,
    fail: entityId.optional(),
    reason: z.string().min(1).optional(),
    terminate: entityId.optional(),
    delete: entityId.optional(),
    label: entityId.optional(),
    labels: z.record(z.string(), z.string().nullable()).optional(),
    token: z.string().min(1).optional(),
  })
  .strict();

/** A fault probability. Below 1: a consumer that is always given its records again, or a service
 * that crashes at every commit, never gets anywhere (the run would end as a livelock). */
const probability = (max: number) =>
  z
    .number()
    .min(0, { error: `a probability from 0 to ${max}` })
    .max(max, { error: `a probability from 0 to ${max}` });

const faults = z
  .object({
    duplicate: probability(0.9).default(0),
    crashBeforeCommit: probability(0.5).default(0),
    reorder: z.boolean().default(false),
    informerLag: duration.default(0),
    staleReads: count.default(0),
  })
  .strict();

/** The Dyff resource and event of a scenario file, for the JSON Schema of the whole file. */
export const dyffScenarioItems = { resource, event, token, scopedToken } as const;

/** The raw schema (before the cross-field checks of {@link checkScenario}). */
export const scenarioShape = z
  .object({
    seed: z.number().int().min(0).max(0xffffffff).default(1),
    accounts: z.record(z.string().min(1), account),
    cluster: z
      .object({ nodes: z.array(node).min(1) })
      .strict()
      .optional(),
    resources: z.array(resource).default([]),
    events: z.array(event).default([]),
    faults: faults.default({
      duplicate: 0,
      crashBeforeCommit: 0,
      reorder: false,
      informerLag: 0,
      staleReads: 0,
    }),
    until: duration.optional(),
  })
  .strict();

/** The schema of a scenario, cross-field checks included (ids exist, needs have the right kinds...). */
export const scenarioSchema = scenarioShape.superRefine(checkScenario);

/** A scenario as written (YAML or JSON, or an object literal): durations as text or seconds. */
export type ScenarioInput = WithSystemsInput<z.input<typeof scenarioSchema>>;
/** A decoded scenario: defaults filled in, durations in milliseconds; `systems` holds its Run:ai and Ray parts. */
export type Scenario = z.output<typeof scenarioSchema> & { readonly systems?: SystemsScenario };
export type ScenarioResource = Scenario["resources"][number];
export type ScenarioEvent = Scenario["events"][number];
export type ScenarioFaults = Scenario["faults"];

/**
 * Decodes a scenario object, or returns a {@link DecodeError} naming every bad field (path, value,
 * what was expected). `subject` names the source in the message, usually the file name.
 *
 * @example
 * ```ts
 * const scenario = decodeScenario({ accounts: { alice: { tokens: ["t"] } } }, "inline");
 * if (scenario instanceof DecodeError) console.error(scenario.message);
 * ```
 */
export function decodeScenario(input: unknown, subject = "scenario"): Scenario | DecodeError {
  // Resources and events with `system: runai|ray` (and the runai:/ray: sections) are decoded apart.
  return decodeWithSystems(input, subject, (dyff) => decode(scenarioSchema, dyff, subject));
}
