import { type DyffEntity, type DyffKindName, entityId } from "@phasekit/core";
import { z } from "zod";
import { problem } from "./problem.js";

/**
 * The Dyff kinds the API serves, as Dyff's client sees them (dyff-schema 0.46, `dyff.schema.v0.r1`):
 * the resource path, the create request's schema (the fields phasekit reads are checked, the rest
 * kept as sent), the objects it depends on, how its phasekit spec is built, how the Dyff object
 * embeds its dependencies (Dyff's `Foreign*` fields), and the query parameters of its kind.
 *
 * @module
 */

/** A Dyff object as the API returns it: the client's fields plus the platform's. */
export type DyffJson = Record<string, unknown>;

/** One object a create request names: where in the body, its id, the kind it must have (undefined: any). */
export interface DependencyRef {
  readonly field: string;
  readonly id: string;
  readonly kind?: DyffKindName;
}

/** How one kind is served. */
export interface ServedKind {
  readonly kind: DyffKindName;
  /** The path segment under /v0 (Dyff's `Resources`): `evaluations`. */
  readonly resource: string;
  /** The create request body. */
  readonly request: z.ZodType<Record<string, unknown>>;
  readonly dependencies: (request: Record<string, unknown>) => readonly DependencyRef[];
  /** phasekit's spec of the new entity. */
  readonly spec: (request: Record<string, unknown>) => unknown;
  /** The Dyff fields to keep (the request's, with each dependency's id replaced where Dyff embeds the object). */
  readonly document: (
    request: Record<string, unknown>,
    dependencies: ReadonlyMap<string, DyffJson>,
  ) => DyffJson;
  /** The kind's own query parameters and the path each compares in the Dyff object. */
  readonly filters: Readonly<Record<string, string>>;
  /** `POST /<resource>/<id>/finalize` marks the upload done (Created -> Ready). */
  readonly finalizes: boolean;
}

const id = entityId;
const name = z.string({ error: "a name (a string)" });
const object = z.record(z.string(), z.unknown(), { error: "an object" });
const account = z.string({ error: "an account name" }).min(1, "a non-empty account name");
const ids = z.array(id, { error: "a list of ids" });

/** A request with `account` and the kind's fields; every other field is kept as sent. */
const request = (shape: z.ZodRawShape) => z.looseObject({ account, ...shape });

const withoutAccount = (r: Record<string, unknown>): DyffJson => {
  const { account: _account, ...rest } = r;
  return rest;
};
const str = (v: unknown) => v as string;

const dataset: ServedKind = {
  kind: "Dataset",
  resource: "datasets",
  request: request({ name, artifacts: z.array(object).min(1, "at least one artifact"), schema: object }),
  dependencies: () => [],
  spec: (r) => ({ name: r.name }),
  document: withoutAccount,
  filters: { name: "name" },
  finalizes: true,
};

const model: ServedKind = {
  kind: "Model",
  resource: "models",
  request: request({ name, artifact: object, source: object, resources: object }),
  dependencies: () => [],
  spec: () => ({}),
  document: withoutAccount,
  filters: { name: "name" },
  finalizes: false,
};

const inferenceService: ServedKind = {
  kind: "InferenceService",
  resource: "inferenceservices",
  request: request({ name, interface: object, model: id.nullish() }),
  dependencies: (r) => (r.model ? [{ field: "model", id: str(r.model), kind: "Model" }] : []),
  spec: (r) => (r.model ? { model: r.model } : {}),
  document: (r, deps) => ({ ...withoutAccount(r), model: r.model ? deps.get("model") : null }),
  filters: { name: "name", model: "model.id", modelName: "model.name" },
  finalizes: false,
};

const inferenceSession: ServedKind = {
  kind: "InferenceSession",
  resource: "inferencesessions",
  request: request({ inferenceService: id, replicas: z.number().int().positive().optional() }),
  dependencies: (r) => [{ field: "inferenceService", id: str(r.inferenceService), kind: "InferenceService" }],
  spec: (r) => ({ inferenceService: r.inferenceService, replicas: r.replicas ?? 1 }),
  document: (r, deps) => ({ ...withoutAccount(r), inferenceService: deps.get("inferenceService") }),
  filters: {
    name: "name",
    inferenceService: "inferenceService.id",
    inferenceServiceName: "inferenceService.name",
    model: "inferenceService.model.id",
    modelName: "inferenceService.model.name",
  },
  finalizes: false,
};

const evaluation: ServedKind = {
  kind: "Evaluation",
  resource: "evaluations",
  request: request({
    dataset: id,
    inferenceSession: z.looseObject({
      inferenceService: id,
      replicas: z.number().int().positive().optional(),
    }),
  }),
  dependencies: (r) => [
    {
      field: "inferenceSession.inferenceService",
      id: str((r.inferenceSession as DyffJson).inferenceService),
      kind: "InferenceService",
    },
    { field: "dataset", id: str(r.dataset), kind: "Dataset" },
  ],
  spec: (r) => {
    const session = r.inferenceSession as DyffJson;
    return {
      inferenceSession: { inferenceService: session.inferenceService, replicas: session.replicas ?? 1 },
      dataset: r.dataset,
    };
  },
  document: (r, deps) => ({
    ...withoutAccount(r),
    inferenceSession: {
      ...(r.inferenceSession as DyffJson),
      inferenceService: deps.get("inferenceSession.inferenceService"),
    },
  }),
  filters: {
    dataset: "dataset",
    inferenceService: "inferenceSession.inferenceService.id",
    inferenceServiceName: "inferenceSession.inferenceService.name",
    model: "inferenceSession.inferenceService.model.id",
    modelName: "inferenceSession.inferenceService.model.name",
  },
  finalizes: false,
};

const report: ServedKind = {
  kind: "Report",
  resource: "reports",
  request: request({
    rubric: z.string({ error: "a rubric (a string)" }),
    evaluation: id,
    modules: ids.optional(),
  }),
  dependencies: (r) => [
    { field: "evaluation", id: str(r.evaluation), kind: "Evaluation" },
    ...((r.modules as string[] | undefined) ?? []).map((m, i) => ({
      field: `modules[${i}]`,
      id: m,
      kind: "Module" as const,
    })),
  ],
  spec: (r) => ({ evaluation: r.evaluation, modules: r.modules ?? [] }),
  document: (r, deps) => {
    // Dyff's Report names what its evaluation ran on: the dataset, the service and its model.
    const e = deps.get("evaluation") ?? {};
    const service = ((e.inferenceSession as DyffJson | undefined)?.inferenceService ?? {}) as DyffJson;
    const model = service.model as DyffJson | null | undefined;
    return {
      ...withoutAccount(r),
      modules: r.modules ?? [],
      dataset: e.dataset,
      inferenceService: service.id,
      model: model?.id ?? null,
    };
  },
  filters: {
    report: "rubric",
    dataset: "dataset",
    evaluation: "evaluation",
    inferenceService: "inferenceService",
    model: "model",
  },
  finalizes: false,
};

const module: ServedKind = {
  kind: "Module",
  resource: "modules",
  request: request({ name, artifacts: z.array(object).min(1, "at least one artifact") }),
  dependencies: () => [],
  spec: (r) => ({ name: r.name }),
  document: withoutAccount,
  filters: { name: "name" },
  finalizes: false,
};

const method: ServedKind = {
  kind: "Method",
  resource: "methods",
  request: request({
    name,
    scope: z.string({ error: "a scope (a string)" }),
    implementation: object,
    output: object,
    modules: ids.optional(),
  }),
  dependencies: (r) =>
    ((r.modules as string[] | undefined) ?? []).map((m, i) => ({
      field: `modules[${i}]`,
      id: m,
      kind: "Module" as const,
    })),
  spec: (r) => ({ modules: r.modules ?? [] }),
  document: withoutAccount,
  filters: { name: "name", outputKind: "output.kind" },
  finalizes: false,
};

const analysisInputs = z.array(z.looseObject({ keyword: z.string(), entity: id }), {
  error: "a list of {keyword, entity}",
});

/**
 * Measurement and SafetyCase (Dyff's analyses): created from `AnalysisCreateRequest` (a Method and
 * its inputs); the name, level and schema Dyff's object requires come from the Method's output.
 */
const analysis = (kind: "Measurement" | "SafetyCase", resource: string): ServedKind => {
  const output = kind === "Measurement" ? "measurement" : "safetyCase";
  return {
    kind,
    resource,
    request: request({ method: id, inputs: analysisInputs.optional() }),
    dependencies: (r) => [
      { field: "method", id: str(r.method), kind: "Method" },
      ...((r.inputs as { entity: string }[] | undefined) ?? []).map((input, i) => ({
        field: `inputs[${i}].entity`,
        id: input.entity,
      })),
    ],
    spec: (r) => ({
      method: r.method,
      inputs: ((r.inputs as { entity: string }[] | undefined) ?? []).map((i) => i.entity),
    }),
    document: (r, deps) => {
      const method = deps.get("method") ?? {};
      const out = (method.output as DyffJson | undefined)?.[output] as DyffJson | undefined;
      if (!out)
        throw problem(
          422,
          "method",
          r.method,
          `a Method whose output is a ${kind}`,
          `${r.method} makes no ${kind}`,
        );
      const { schema_, ...spec } = out;
      return {
        ...withoutAccount(r),
        method,
        ...spec,
        ...(kind === "Measurement" ? { schema: spec.schema ?? schema_ } : {}),
      };
    },
    filters: {
      method: "method.id",
      methodName: "method.name",
      dataset: "scope.dataset",
      evaluation: "scope.evaluation",
      inferenceService: "scope.inferenceService",
      model: "scope.model",
    },
    finalizes: false,
  };
};

/** Every served kind, in the order the OpenAPI document lists them. */
export const servedKinds: readonly ServedKind[] = [
  dataset,
  model,
  inferenceService,
  inferenceSession,
  evaluation,
  report,
  module,
  method,
  analysis("Measurement", "measurements"),
  analysis("SafetyCase", "safetycases"),
];

/** The served kind of a path segment, or undefined. */
export const byResource = (resource: string): ServedKind | undefined =>
  servedKinds.find((k) => k.resource === resource);

/**
 * The Dyff object of an entity: its kept document, then the platform's fields (which win).
 *
 * @example
 * ```ts
 * toDyff(entity); // { name: "mnist", ..., kind: "Dataset", id, account, status: "Ready", reason: null, labels: {} }
 * ```
 */
export function toDyff(entity: DyffEntity): DyffJson {
  return {
    ...(entity.document ?? {}),
    kind: entity.kind,
    id: entity.id,
    account: entity.account,
    creationTime: entity.creationTime,
    lastTransitionTime: entity.lastTransitionTime,
    status: entity.status,
    reason: entity.reason,
    message: entity.message,
    labels: entity.labels,
  };
}

/** The value at a dotted path of a Dyff object (`inferenceSession.inferenceService.id`). */
export function valueAt(object: unknown, path: string): unknown {
  let v: unknown = object;
  for (const key of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}
