import type { NewClusterObject } from "@phasekit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { customType, defaultGroup, nativeTypes } from "./kinds.js";
import { fromKube, managedBy, specAnnotation, toKube, withConditions } from "./objects.js";

const name = fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/);
const labelKey = fc
  .stringMatching(/^([a-z]{1,8}\.io\/)?[a-z][a-z0-9-]{0,10}$/)
  .filter((k) => k !== managedBy.key);
const kinds = ["Evaluation", "InferenceSession", "Job", "Deployment"] as const;
const typeOf = (kind: string) =>
  kind === "Job" || kind === "Deployment" ? nativeTypes[kind]! : customType(kind, defaultGroup);

const portObject = fc.record({
  kind: fc.constantFrom(...kinds),
  name,
  labels: fc.dictionary(labelKey, fc.stringMatching(/^[a-z0-9]{0,20}$/), { maxKeys: 4 }),
  owner: fc.option(name, { nil: null }),
  spec: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
}) satisfies fc.Arbitrary<NewClusterObject>;

/** What the API server hands back for a create: the JSON it stored, plus uid and resourceVersion. */
const served = (body: Record<string, unknown>) => {
  const o = JSON.parse(JSON.stringify(body)) as { metadata: Record<string, unknown> };
  o.metadata.uid = "u-1";
  o.metadata.resourceVersion = "7";
  return o as never;
};

describe("port objects as Kubernetes objects", () => {
  it("any port object comes back unchanged from toKube, the API server and fromKube (custom and built-in kinds)", () => {
    fc.assert(
      fc.property(portObject, (o) => {
        const type = typeOf(o.kind);
        const custom = type.group === defaultGroup;
        const owner =
          o.owner === null ? null : { apiVersion: "v1", kind: "Evaluation", name: o.owner, uid: "u-0" };
        const body = toKube(o, type, "ns", owner, custom, { steps: "kubernetes" });
        expect(fromKube(served(body), type, custom)).toEqual({
          ...o,
          spec: JSON.parse(JSON.stringify(o.spec)),
          conditions: [],
          resourceVersion: "7",
        });
      }),
    );
  });

  it("a built-in workload keeps the port's spec in an annotation and runs what is built from it", () => {
    const step = {
      kind: "Job",
      name: "e1-client",
      owner: "e1",
      labels: { a: "b" },
      spec: { role: "client" },
    };
    const body = toKube(step, nativeTypes.Job!, "ns", null, false, { steps: "external" }) as {
      metadata: { annotations: Record<string, string>; labels: Record<string, string> };
      spec: { managedBy: string; template: { metadata: { labels: Record<string, string> } } };
    };
    expect(JSON.parse(body.metadata.annotations[specAnnotation]!)).toEqual({ role: "client" });
    expect(body.metadata.labels).toEqual({ a: "b", [managedBy.key]: managedBy.value });
    expect(body.spec.managedBy).toBe("phasekit.dev/external");
    expect(body.spec.template.metadata.labels).toEqual({ a: "b" });
  });

  it("conditions read from a Job keep the port's five fields; written to a Job they get the time fields it needs", () => {
    const job = served({
      metadata: { name: "j" },
      status: {
        conditions: [
          { type: "Complete", status: "True", lastProbeTime: "t1", lastTransitionTime: "t1" },
          {
            type: "SuccessCriteriaMet",
            status: "True",
            reason: "CompletionsReached",
            message: "done",
            lastTransitionTime: "t0",
          },
        ],
      },
    });
    expect(fromKube(job, nativeTypes.Job!, false).conditions).toEqual([
      { type: "Complete", status: "True", reason: "", message: "", lastTransitionTime: "t1" },
      {
        type: "SuccessCriteriaMet",
        status: "True",
        reason: "CompletionsReached",
        message: "done",
        lastTransitionTime: "t0",
      },
    ]);
    const written = withConditions(null, nativeTypes.Job!, "ns", "j", "7", [
      { type: "Complete", status: "True", reason: "Done", message: "", lastTransitionTime: "t2" },
    ]) as { status: { conditions: Record<string, unknown>[] }; metadata: Record<string, unknown> };
    expect(written.status.conditions[0]).toMatchObject({ lastProbeTime: "t2", lastTransitionTime: "t2" });
    expect(written.metadata).toEqual({ name: "j", namespace: "ns", resourceVersion: "7" });
  });
});
