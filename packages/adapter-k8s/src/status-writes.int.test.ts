import { Cluster, workflowCondition } from "@phasekit/core";
import { Effect } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { layerK8s } from "./layer.js";
import { writeConditionsRetrying } from "./status-writes.js";
import { testCluster } from "./testing/env.js";
import { type AdapterNamespace, adapterNamespace, ensureCrds } from "./testing/setup.js";

/** Status writes under contention, on a real API server: a 409 Conflict is re-read and decided again. */
const { admin, adminClient } = await testCluster();
await ensureCrds(adminClient);
let ns: AdapterNamespace | undefined;
afterAll(async () => ns?.cleanup());

describe("status writes that retry on 409 Conflict", () => {
  it("ten writers adding one condition each at the same time: every condition is there in the end, none lost", async () => {
    ns = await adapterNamespace(adminClient, admin, "status-writes");
    const types = Array.from({ length: 10 }, (_, i) => `Step${i}`);
    const final = await Effect.runPromise(
      Effect.gen(function* () {
        const cluster = yield* Cluster;
        yield* cluster.create({ kind: "Evaluation", name: "e1", owner: null, labels: {}, spec: {} });
        yield* Effect.all(
          types.map((type) =>
            writeConditionsRetrying(
              "Evaluation",
              "e1",
              (current) => [...current.conditions, workflowCondition(type, null, "2026-01-01T00:00:00Z")],
              50,
            ),
          ),
          { concurrency: "unbounded" },
        );
        return yield* cluster.get("Evaluation", "e1");
      }).pipe(
        Effect.scoped,
        Effect.provide(
          layerK8s({ server: admin.server, ca: admin.ca, token: ns.token, namespace: ns.namespace }),
        ),
      ),
    );
    expect(final?.conditions.map((c) => c.type).sort()).toEqual([...types].sort());
  });
});
