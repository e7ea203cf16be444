import { z } from "zod";
import { servedKinds } from "./kinds.js";
import { commonFilters, otherParameters } from "./query.js";

/**
 * The OpenAPI 3.1 document of what the server serves, generated from the same zod schemas the
 * handlers decode with (`z.toJSONSchema`). Committed as `packages/runtime/openapi.json`; a test
 * fails when the two differ (`pnpm docs:gen` rewrites it).
 *
 * @module
 */

const nullableString = z.string().nullable();

/** Every Dyff object the API returns: the platform's fields, then the kind's own (kept as created). */
export const dyffObject = z.looseObject({
  kind: z.string(),
  id: z.string(),
  account: z.string(),
  creationTime: z.string(),
  lastTransitionTime: nullableString,
  status: z.string(),
  reason: nullableString,
  message: nullableString,
  labels: z.record(z.string(), z.string()),
});

/** Dyff's `Status`: what delete, terminate and finalize answer. */
export const statusReply = z.object({ status: z.string(), reason: nullableString });

const fieldProblem = z.object({ field: z.string(), value: z.unknown(), expected: z.string() });
/** RFC 9457 problem details plus the field, the value and what was expected. */
export const problemBody = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  field: z.string(),
  value: z.unknown(),
  expected: z.string(),
  errors: z.array(fieldProblem),
});

/** The labels merge patch of `PATCH .../labels`. */
export const labelsRequest = z.looseObject({ labels: z.record(z.string(), z.string().nullable()) });

const schema = (s: z.ZodType, io: "input" | "output" = "output") => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, { io, unrepresentable: "any" });
  return rest; // OpenAPI 3.1's dialect is JSON Schema 2020-12 already
};
const json = (ref: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } });
const problems = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      {
        description: `problem details (${c})`,
        content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
      },
    ]),
  );
const idParameter = { name: "id", in: "path", required: true, schema: { type: "string" } };

/**
 * The OpenAPI document.
 *
 * @example
 * ```ts
 * openApiDocument().paths["/evaluations"].post.requestBody;
 * ```
 */
export function openApiDocument() {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {
    DyffObject: schema(dyffObject),
    Status: schema(statusReply),
    Problem: schema(problemBody),
    LabelsRequest: schema(labelsRequest, "input"),
  };
  for (const k of servedKinds) {
    schemas[`${k.kind}CreateRequest`] = schema(k.request, "input");
    const base = `/${k.resource}`;
    const created = k.kind === "InferenceSession" ? "InferenceSessionAndToken" : "DyffObject";
    const filters = [...Object.keys({ ...commonFilters, ...k.filters }), ...otherParameters];
    paths[base] = {
      get: {
        operationId: `query${k.kind}`,
        summary: `The caller's ${k.kind} objects that match every given parameter`,
        parameters: filters.map((name) => ({
          name,
          in: "query",
          required: false,
          schema: { type: "string" },
        })),
        responses: {
          "200": {
            description: "the matches",
            content: {
              "application/json": {
                schema: { type: "array", items: { $ref: "#/components/schemas/DyffObject" } },
              },
            },
          },
          ...problems(401, 403, 422),
        },
      },
      post: {
        operationId: `create${k.kind}`,
        summary: `Create a ${k.kind}`,
        requestBody: { required: true, content: json(`${k.kind}CreateRequest`) },
        responses: {
          "201": { description: "created", content: json(created) },
          ...problems(400, 401, 403, 404, 409, 413, 422),
        },
      },
    };
    paths[`${base}/{id}`] = {
      get: {
        operationId: `get${k.kind}`,
        parameters: [idParameter],
        responses: {
          "200": { description: `the ${k.kind}`, content: json("DyffObject") },
          ...problems(401, 403, 404),
        },
      },
    };
    const statusOp = (op: string, summary: string) => ({
      operationId: `${op}${k.kind}`,
      summary,
      parameters: [idParameter],
      responses: {
        "200": { description: "the status it moves to", content: json("Status") },
        ...problems(401, 403, 404, 409),
      },
    });
    paths[`${base}/{id}/delete`] = { put: statusOp("delete", "Mark for deletion (Deleted/DeleteCommand)") };
    paths[`${base}/{id}/terminate`] = {
      put: statusOp("terminate", "Stop unfinished work (Terminated/TerminateCommand)"),
    };
    if (k.finalizes)
      paths[`${base}/{id}/finalize`] = { post: statusOp("finalize", "The upload is done: Created -> Ready") };
    paths[`${base}/{id}/labels`] = {
      patch: {
        operationId: `label${k.kind}`,
        summary: "Merge labels (null removes one)",
        parameters: [idParameter],
        requestBody: { required: true, content: json("LabelsRequest") },
        responses: { "204": { description: "labelled" }, ...problems(401, 403, 404, 413, 422) },
      },
    };
  }
  schemas.InferenceSessionAndToken = {
    type: "object",
    properties: { inferencesession: { $ref: "#/components/schemas/DyffObject" }, token: { type: "string" } },
    required: ["inferencesession", "token"],
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "phasekit local Dyff API",
      version: "v0",
      description:
        "Dyff's REST API (v0), as the dyff-client 0.27 / dyff-schema 0.46 Python client uses it, served by `phasekit serve api`. Authorization: Bearer <token>. Errors are RFC 9457 problem details with field, value and expected.",
    },
    servers: [{ url: "/v0" }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas,
    },
    security: [{ bearer: [] }],
    paths,
  };
}
