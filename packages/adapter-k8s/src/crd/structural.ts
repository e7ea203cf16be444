import { z } from "zod";

/**
 * From zod to a Kubernetes *structural* OpenAPI v3 schema (apiextensions.k8s.io/v1
 * `JSONSchemaProps`): zod 4 writes JSON Schema draft 2020-12, which a CRD does not accept as is.
 * The conversion keeps what the API server validates (types, required, patterns, bounds, enums,
 * defaults) and rewrites or drops the rest; a zod construct it cannot express fails loudly with its
 * path, rather than producing a schema that silently validates less.
 *
 * @module
 */

/** The subset of `JSONSchemaProps` the generated schemas use. */
export interface OpenApiSchema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  description?: string;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  additionalProperties?: OpenApiSchema;
  items?: OpenApiSchema;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  default?: unknown;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
}

type Json = Record<string, unknown>;

/** Keys copied as they are. */
const kept = [
  "description",
  "pattern",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "enum",
  "default",
] as const;
/** Formats the API server knows (k8s.io/kube-openapi `strfmt`); others are dropped, not guessed. */
const knownFormats = new Set([
  "date-time",
  "date",
  "uuid",
  "email",
  "hostname",
  "ipv4",
  "ipv6",
  "uri",
  "byte",
]);
/** What JSON Schema says that pruning already enforces, or that only annotates. */
const dropped = new Set(["$schema", "$id", "id", "title", "examples", "propertyNames"]);
const largest = Number.MAX_SAFE_INTEGER;

function convert(node: Json, path: string): OpenApiSchema {
  // zod writes `.nullable()` as anyOf [X, {type: null}]: OpenAPI v3 has `nullable`.
  if (Array.isArray(node.anyOf)) {
    const branches = node.anyOf as Json[];
    const others = branches.filter((b) => b.type !== "null");
    if (others.length === 1 && branches.length === 2) {
      const { anyOf: _, ...rest } = node;
      return { ...convert({ ...rest, ...others[0] }, path), nullable: true };
    }
    throw new Error(`${path}: a union (anyOf) has no structural schema; use one object shape or an enum`);
  }
  const out: OpenApiSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (dropped.has(key)) continue;
    switch (key) {
      case "type": {
        // zod writes a nullable primitive as ["string", "null"].
        const types = (Array.isArray(value) ? value : [value]).filter((t) => t !== "null");
        if (types.length !== 1)
          throw new Error(
            `${path}: a union (type ${JSON.stringify(value)}) has no structural schema; use one type or an enum`,
          );
        out.type = types[0] as NonNullable<OpenApiSchema["type"]>;
        if (Array.isArray(value) && value.includes("null")) out.nullable = true;
        break;
      }
      case "const":
        out.enum = [value];
        break;
      case "format":
        if (knownFormats.has(value as string)) out.format = value as string;
        break;
      case "minimum":
      case "maximum":
        // zod bounds `.int()` by the safe integers: the API server's int64 needs no such bound.
        if (Math.abs(value as number) !== largest) out[key] = value as number;
        break;
      case "exclusiveMinimum":
        out.minimum = value as number;
        out.exclusiveMinimum = true;
        break;
      case "exclusiveMaximum":
        out.maximum = value as number;
        out.exclusiveMaximum = true;
        break;
      case "properties":
        out.properties = Object.fromEntries(
          Object.entries(value as Record<string, Json>).map(([k, v]) => [k, convert(v, `${path}.${k}`)]),
        );
        break;
      case "required":
        out.required = [...(value as string[])];
        break;
      case "items":
        out.items = convert(value as Json, `${path}[]`);
        break;
      case "additionalProperties":
        // `false` is what pruning does anyway (and is not allowed); a schema types a map's values.
        if (typeof value === "object" && value !== null && node.properties === undefined)
          out.additionalProperties = convert(value as Json, `${path}{}`);
        else if (value !== false && value !== true)
          throw new Error(`${path}: additionalProperties next to properties is not structural`);
        break;
      default:
        if ((kept as readonly string[]).includes(key)) (out as Record<string, unknown>)[key] = value;
        else throw new Error(`${path}: JSON Schema keyword "${key}" has no structural equivalent`);
    }
  }
  if (out.type === undefined) throw new Error(`${path}: a structural schema needs a type at every level`);
  return out;
}

/**
 * The structural schema of a zod schema, as a client would send it (`io: "input"`: fields with a
 * `.default()` are optional and carry their default, which the API server applies).
 *
 * @example
 * ```ts
 * structuralSchema(z.object({ replicas: z.number().int().positive().default(1) }));
 * // { type: "object", properties: { replicas: { type: "integer", minimum: 0, exclusiveMinimum: true, default: 1 } } }
 * ```
 */
export function structuralSchema(schema: z.ZodType, path = "$"): OpenApiSchema {
  return convert(z.toJSONSchema(schema, { io: "input", unrepresentable: "throw" }) as Json, path);
}

/**
 * What makes a schema non-structural, by path (empty when it is structural): a level without a
 * type (unless it preserves unknown fields), properties next to additionalProperties, or a keyword
 * outside {@link OpenApiSchema}. The API server is the final judge; this catches mistakes early.
 *
 * @example
 * ```ts
 * structuralProblems({ type: "object", properties: { a: {} } }); // ["$.a: no type"]
 * ```
 */
export function structuralProblems(schema: OpenApiSchema, path = "$"): string[] {
  const allowed = new Set([
    ...kept,
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "nullable",
    "x-kubernetes-preserve-unknown-fields",
  ]);
  const problems: string[] = [];
  for (const key of Object.keys(schema)) if (!allowed.has(key)) problems.push(`${path}: keyword ${key}`);
  if (schema.type === undefined && schema["x-kubernetes-preserve-unknown-fields"] !== true)
    problems.push(`${path}: no type`);
  if (schema.properties && schema.additionalProperties)
    problems.push(`${path}: properties and additionalProperties`);
  for (const r of schema.required ?? [])
    if (!schema.properties?.[r]) problems.push(`${path}: required ${r} is not a property`);
  for (const [k, v] of Object.entries(schema.properties ?? {}))
    problems.push(...structuralProblems(v, `${path}.${k}`));
  if (schema.items) problems.push(...structuralProblems(schema.items, `${path}[]`));
  if (schema.additionalProperties)
    problems.push(...structuralProblems(schema.additionalProperties, `${path}{}`));
  return problems;
}
