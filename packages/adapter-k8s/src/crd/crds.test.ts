import { readFileSync } from "node:fs";
import { type dyffKinds, newEntity, requestOf, workflowResource } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { z } from "zod";
import { crdVersion, defaultGroup, dyffKindNames } from "../kinds.js";
import { customResourceSpec, dyffCrd, dyffCrds } from "./crds.js";
import { crdManifest } from "./manifest.js";
import { type OpenApiSchema, structuralProblems, structuralSchema } from "./structural.js";

const manifests = new URL("../../manifests/", import.meta.url);
const schemaOf = (kind: keyof typeof dyffKinds) =>
  (dyffCrd(kind, defaultGroup).spec.versions as { schema: { openAPIV3Schema: OpenApiSchema } }[])[0]!.schema
    .openAPIV3Schema;

/** A valid create request per kind (dependencies by id only: nothing is looked up here). */
const requests: Record<string, unknown> = {
  Evaluation: {
    inferenceSession: { inferenceService: "svc1", replicas: 2 },
    dataset: "d1",
    resources: { gpu: 1 },
  },
  Report: { evaluation: "e1" },
  Audit: { inferenceService: "svc1" },
  Measurement: { method: "me1" },
  SafetyCase: { method: "me1" },
  Model: { source: "hf://x" },
  InferenceService: { model: "m1" },
  Dataset: {},
  DataSource: {},
  Module: {},
  Method: {},
  InferenceSession: { inferenceService: "svc1" },
};

describe("the Dyff CRDs, generated from core's zod schemas", () => {
  it("one CRD per Dyff kind, namespaced, with the status subresource", () => {
    const crds = dyffCrds(defaultGroup);
    expect(crds.map((c) => c.metadata.name)).toEqual(
      dyffKindNames.map((k) => `${k.toLowerCase()}s.${defaultGroup}`),
    );
    for (const crd of crds) {
      expect(crd.spec.scope).toBe("Namespaced");
      const [version] = crd.spec.versions as { name: string; subresources: unknown }[];
      expect(version).toMatchObject({ name: crdVersion, subresources: { status: {} } });
    }
  });

  it("every schema is structural (a type at every level, no keyword Kubernetes refuses)", () => {
    for (const kind of dyffKindNames) expect(structuralProblems(schemaOf(kind)), kind).toEqual([]);
  });

  it("only the spec keeps unknown fields (the port's spec is opaque); everything below it is typed", () => {
    const preserved: string[] = [];
    const walk = (s: OpenApiSchema, path: string) => {
      if (s["x-kubernetes-preserve-unknown-fields"]) preserved.push(path);
      for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${path}.${k}`);
      if (s.items) walk(s.items, `${path}[]`);
    };
    for (const kind of dyffKindNames) walk(schemaOf(kind), kind);
    expect(preserved).toEqual(dyffKindNames.map((k) => `${k}.spec`));
  });

  it("the entity spec inside is the kind's own schema: required fields, patterns and defaults carried over", () => {
    const spec = schemaOf("Evaluation").properties!.spec!.properties!.spec!;
    expect(spec.required).toEqual(["inferenceSession", "dataset"]);
    expect(spec.properties!.dataset!.pattern).toBe("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$");
    expect(spec.properties!.inferenceSession!.properties!.replicas).toMatchObject({
      type: "integer",
      minimum: 0,
      exclusiveMinimum: true,
      default: 1,
    });
  });

  it("what the orchestrator writes for an entity of each kind (workflowResource) fits its CRD's spec schema", () => {
    for (const kind of dyffKindNames) {
      const entity = newEntity(
        { kind, id: "x1", account: "alice", spec: requests[kind] },
        "2026-01-01T00:00:00Z",
      );
      if (entity instanceof Error) throw entity;
      const resource = workflowResource(entity, requestOf(entity));
      expect(customResourceSpec(kind).safeParse(resource.spec).success, kind).toBe(true);
    }
  });

  it("manifests/crds.yaml is what the schemas generate now (run `pnpm --filter @phasekit/adapter-k8s gen:manifests`)", () => {
    expect(readFileSync(new URL("crds.yaml", manifests), "utf8")).toBe(crdManifest());
  });

  it("manifests/rbac.yaml grants the adapter exactly the Dyff kinds (and their status), Jobs, Deployments and read-only Pods, in one namespace", () => {
    const docs = parseAllDocuments(readFileSync(new URL("rbac.yaml", manifests), "utf8")).map(
      (d) =>
        d.toJS() as { kind: string; rules?: { apiGroups: string[]; resources: string[]; verbs: string[] }[] },
    );
    expect(docs.map((d) => d.kind)).toEqual(["ServiceAccount", "Role", "RoleBinding"]);
    const rules = docs[1]!.rules!;
    const plurals = dyffKindNames.map((k) => `${k.toLowerCase()}s`);
    const grant = (group: string, resource: string) =>
      rules
        .filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource))
        .flatMap((r) => r.verbs);
    for (const p of plurals) {
      expect(grant(defaultGroup, p).sort(), p).toEqual(["create", "delete", "get", "list", "watch"]);
      expect(grant(defaultGroup, `${p}/status`).sort(), `${p}/status`).toEqual(["get", "update"]);
    }
    expect(grant("batch", "jobs").sort()).toEqual(["create", "delete", "get", "list", "watch"]);
    expect(grant("apps", "deployments").sort()).toEqual(["create", "delete", "get", "list", "watch"]);
    expect(grant("", "pods").sort()).toEqual(["get", "list", "watch"]);
    const granted = rules.flatMap((r) => r.resources).sort();
    expect(granted).toEqual(
      [...plurals, ...plurals.map((p) => `${p}/status`), "jobs", "deployments", "pods"].sort(),
    );
    expect(rules.flatMap((r) => r.verbs)).not.toContain("*");
  });
});

describe("structuralSchema: zod's JSON Schema rewritten for Kubernetes", () => {
  it("nullable, literals, exclusive bounds, maps and dropped keywords", () => {
    const schema = structuralSchema(
      z
        .object({
          note: z.string().nullable(),
          version: z.literal(0),
          replicas: z.number().int().positive(),
          labels: z.record(z.string().regex(/^[a-z]+$/), z.string().max(63)),
        })
        .strict(),
    );
    expect(schema).toEqual({
      type: "object",
      properties: {
        note: { type: "string", nullable: true },
        version: { type: "number", enum: [0] },
        replicas: { type: "integer", minimum: 0, exclusiveMinimum: true },
        labels: { type: "object", additionalProperties: { type: "string", maxLength: 63 } },
      },
      required: ["note", "version", "replicas", "labels"],
    });
    expect(structuralProblems(schema)).toEqual([]);
  });

  it("a union has no structural schema: it fails with the path instead of validating less", () => {
    expect(() => structuralSchema(z.object({ a: z.union([z.string(), z.number()]) }), "Thing")).toThrow(
      /^Thing\.a: a union .* has no structural schema/,
    );
  });

  it("structuralProblems names what Kubernetes would refuse", () => {
    expect(
      structuralProblems({
        type: "object",
        properties: {
          a: {},
          b: { type: "object", properties: {}, additionalProperties: { type: "string" } },
        },
        required: ["c"],
      }),
    ).toEqual([
      "$: required c is not a property",
      "$.a: no type",
      "$.b: properties and additionalProperties",
    ]);
  });
});
