import { Cluster } from "@phasekit/core";
import { Cause, Effect, Exit } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { createKubeClient, KubeApiError } from "../client.js";
import { customType, defaultGroup, dyffKindNames } from "../kinds.js";
import { layerK8s } from "../layer.js";
import { testCluster } from "../testing/env.js";
import { type AdapterNamespace, adapterNamespace, ensureCrds } from "../testing/setup.js";
import { installCrds } from "./install.js";

/**
 * The generated CRDs on the real API server: installing is idempotent, and the server enforces the
 * schemas generated from zod (validation, defaults, pruning below `spec`).
 */
const { admin, adminClient } = await testCluster();
await ensureCrds(adminClient);
let ns: AdapterNamespace | undefined;
afterAll(async () => ns?.cleanup());

const evaluations = customType("Evaluation", defaultGroup);
const evaluation = (name: string, spec: unknown) => ({
  apiVersion: `${defaultGroup}/v1alpha1`,
  kind: "Evaluation",
  metadata: { name },
  spec: { id: name, account: "alice", spec },
});

describe("the Dyff CRDs on a real API server", () => {
  it("installing again changes nothing", async () => {
    const again = await installCrds(adminClient);
    expect(again).toEqual({
      created: [],
      updated: [],
      unchanged: dyffKindNames.map((k) => `${k.toLowerCase()}s.${defaultGroup}`),
    });
  });

  it("the server applies the zod defaults, prunes unknown fields under a typed object, and refuses what the schema refuses", async () => {
    ns = await adapterNamespace(adminClient, admin, "crd-schema");
    const sa = createKubeClient({ ...admin, token: ns.token }, { requestTimeoutMs: 10_000 });
    try {
      const created = await sa.create(
        evaluations,
        ns.namespace,
        evaluation("e1", { inferenceSession: { inferenceService: "svc1", extra: 1 }, dataset: "d1" }),
      );
      expect((created.spec as { spec: unknown }).spec).toEqual({
        inferenceSession: { inferenceService: "svc1", replicas: 1 },
        dataset: "d1",
        resources: { gpu: 0, cpu: 0, memoryGiB: 0 },
      });
      const refused = await sa
        .create(
          evaluations,
          ns.namespace,
          evaluation("e2", { inferenceSession: { inferenceService: "svc1" }, dataset: "not an id!" }),
        )
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(refused).toBeInstanceOf(KubeApiError);
      expect(refused).toMatchObject({ status: 422 });
      expect((refused as Error).message).toContain("spec.spec.dataset");
    } finally {
      sa.close();
    }
  });

  it("through the port, a spec the CRD refuses is a defect carrying the server's message (the port has no code for it)", async () => {
    ns ??= await adapterNamespace(adminClient, admin, "crd-schema");
    const exit = await Effect.runPromiseExit(
      Effect.gen(function* () {
        return yield* (yield* Cluster).create({
          kind: "Evaluation",
          name: "e3",
          owner: null,
          labels: {},
          spec: { id: "e3", spec: { dataset: 42 } },
        });
      }).pipe(
        Effect.scoped,
        Effect.provide(
          layerK8s({ server: admin.server, ca: admin.ca, token: ns.token, namespace: ns.namespace }),
        ),
      ),
    );
    expect(Exit.isFailure(exit) && Cause.hasDies(exit.cause)).toBe(true);
    expect(String(Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "")).toContain("spec.spec.dataset");
  });
});
