import type { ClusterObject, DyffEntity } from "@phasekit/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lifecycleOf, type QuotaLimits, quotaBreaches } from "./invariants.js";
import { QuotaLedger } from "./quota-ledger.js";

const at = "2026-01-01T00:00:00.000Z";
const kinds = ["Evaluation", "Model", "Report", "NotADyffKind"] as const;
const names = ["e1", "e2", "m1", "r1", "x"] as const;
const accounts = ["alice", "bob", "carol"] as const;
const statusesOf = (kind: string) => Object.keys(lifecycleOf(kind)?.spec.statuses ?? { Created: {} });

/** A request field: whole numbers mostly, sometimes fractions whose sums round, sometimes absent. */
const amount = fc.oneof(
  fc.integer({ min: 0, max: 4 }),
  fc.constantFrom(0.1, 0.2, 0.3, 0.7, 1.5),
  fc.constant(undefined),
);
const limit = fc.oneof(
  fc.integer({ min: 0, max: 6 }),
  fc.constantFrom(0.3, 0.6, 1.5),
  fc.constant(undefined),
);

type Change =
  | { readonly type: "created"; readonly object: ClusterObject }
  | { readonly type: "deleted"; readonly kind: string; readonly name: string }
  | { readonly type: "stated"; readonly entity: DyffEntity };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc
    .record({
      kind: fc.constantFrom(...kinds),
      name: fc.constantFrom(...names),
      gpu: amount,
      cpu: amount,
      memoryGiB: amount,
    })
    .map(({ kind, name, ...request }) => ({
      type: "created" as const,
      object: {
        kind,
        name,
        labels: {},
        owner: null,
        spec: { request: Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined)) },
        conditions: [],
        resourceVersion: "1",
      },
    })),
  fc.record({ kind: fc.constantFrom(...kinds), name: fc.constantFrom(...names) }).map((d) => ({
    type: "deleted" as const,
    ...d,
  })),
  fc
    .record({
      kind: fc.constantFrom(...kinds),
      id: fc.constantFrom(...names),
      account: fc.constantFrom(...accounts),
      pick: fc.nat(),
    })
    .map(({ kind, id, account, pick }) => {
      const statuses = statusesOf(kind);
      const status = statuses[pick % statuses.length]!;
      const entity = {
        ...{ kind, id, account, schemaVersion: 0, revision: 1, creationTime: at, lastTransitionTime: at },
        ...{ status, reason: null, message: null, labels: {}, spec: {} },
      } as DyffEntity;
      return { type: "stated" as const, entity };
    }),
);

const limits = fc.dictionary(
  fc.constantFrom(...accounts),
  fc.record({ gpu: limit, cpu: limit, memoryGiB: limit, slots: limit }) as fc.Arbitrary<QuotaLimits>,
);

describe("the quota ledger", () => {
  it("its incremental sums give the breach lines quotaBreaches gives over the whole cluster, after every change of a random run", () => {
    fc.assert(
      fc.property(limits, fc.array(change, { maxLength: 60 }), (limits, changes) => {
        const ledger = new QuotaLedger(limits);
        // The full check's inputs: the workflow objects on the cluster and the newest state of each id.
        const cluster = new Map<string, ClusterObject>();
        const latest = new Map<string, DyffEntity>();
        for (const c of changes) {
          if (c.type === "created") {
            const key = `${c.object.kind}/${c.object.name}`;
            if (cluster.has(key)) continue; // the cluster refuses a second create
            cluster.set(key, c.object);
            ledger.created(c.object);
          } else if (c.type === "deleted") {
            cluster.delete(`${c.kind}/${c.name}`);
            ledger.deleted(c.kind, c.name);
          } else {
            latest.set(c.entity.id, c.entity);
            ledger.stated(c.entity.id, c.entity);
          }
          const listing = [...cluster.values()].sort((a, b) =>
            a.kind !== b.kind ? (a.kind < b.kind ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
          );
          expect(ledger.breaches()).toEqual(quotaBreaches(listing, (id) => latest.get(id), limits));
        }
      }),
      { numRuns: 500 },
    );
  });

  const workflow = (name: string, request: Record<string, number> = { gpu: 1 }): ClusterObject => ({
    kind: "Evaluation",
    name,
    labels: {},
    owner: null,
    spec: { request },
    conditions: [],
    resourceVersion: "1",
  });
  const state = (id: string, status: string) =>
    ({ kind: "Evaluation", id, account: "alice", status, reason: null }) as DyffEntity;

  it("a breach is reported while it lasts, and not once the work is over", () => {
    const ledger = new QuotaLedger({ alice: { gpu: 1 } });
    ledger.created(workflow("e1"));
    ledger.stated("e1", state("e1", "Admitted"));
    ledger.stated("e2", state("e2", "Admitted"));
    expect(ledger.breaches()).toEqual([]);
    ledger.created(workflow("e2"));
    expect(ledger.breaches()).toEqual(["alice held gpu 2 > quota 1"]);
    ledger.stated("e1", state("e1", "Complete"));
    expect(ledger.breaches()).toEqual([]);
  });

  it("fractions that round otherwise in running sums than in the full check's order give the full check's lines", () => {
    const ledger = new QuotaLedger({ alice: { cpu: 0.3 } });
    const objects = [
      workflow("e1", { cpu: 0.7 }),
      workflow("e2", { cpu: 0.1 }),
      workflow("e3", { cpu: 0.2 }),
    ];
    for (const o of objects) ledger.created(o);
    for (const id of ["e1", "e2"]) ledger.stated(id, state(id, "Admitted"));
    ledger.stated("e1", state("e1", "Complete")); // running sum: 0.7 + 0.1 - 0.7, not quite 0.1
    ledger.stated("e3", state("e3", "Admitted"));
    const latest = new Map(
      ["e1", "e2", "e3"].map((id) => [id, state(id, id === "e1" ? "Complete" : "Admitted")]),
    );
    const full = quotaBreaches(objects, (id) => latest.get(id), { alice: { cpu: 0.3 } });
    expect(full).toEqual(["alice held cpu 0.30000000000000004 > quota 0.3"]);
    expect(ledger.breaches()).toEqual(full);
  });
});
