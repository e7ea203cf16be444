import * as Effect from "effect/Effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeMemoryBackend } from "../../../adapter-memory/src/backend.js";
import { Cluster, type ClusterChanges, type ClusterObject, type ClusterShape } from "../ports/Cluster.js";
import { type InformerEntry, observeChanges, observeWorkflows } from "./informer.js";
import { makeOperator, type OperatorAction, reconcileWorkflow } from "./operator.js";
import { workflowCondition, workflowPlans } from "./plans.js";
import { type StepConditionType, stepCondition, stepKinds } from "./steps.js";

/**
 * The operator and the informer read the cluster's change feed and look only at what changed. These
 * properties hold them to what a full pass over every object decides, on random histories.
 */

const now = "2026-01-01T00:10:00Z";
const kinds = ["Evaluation", "Model", "InferenceSession", "Report"] as const;
const names = ["a", "b", "c", "d", "e"] as const;

/** A random thing that happens to the cluster besides the operator's own work. */
const arbitraryEvent = fc.oneof(
  fc.record({
    type: fc.constant("create" as const),
    kind: fc.constantFrom(...kinds),
    name: fc.constantFrom(...names),
  }),
  fc.record({ type: fc.constant("delete" as const), name: fc.constantFrom(...names) }),
  fc.record({
    type: fc.constant("step" as const),
    pick: fc.nat(),
    condition: fc.constantFrom<StepConditionType>("Complete", "Failed", "Available"),
  }),
);
type ClusterEvent = typeof arbitraryEvent extends fc.Arbitrary<infer T> ? T : never;

const run = <A>(effect: Effect.Effect<A, unknown, Cluster>, port: ClusterShape) =>
  Effect.runSync(Effect.provideService(effect, Cluster, port) as Effect.Effect<A>);

function happen(backend: ReturnType<typeof makeMemoryBackend>, event: ClusterEvent) {
  const { port } = backend.cluster;
  if (event.type === "create") {
    // Workflow objects are named by entity id, unique across kinds (the informer keys by name).
    if (backend.cluster.objects().some((o) => o.owner === null && o.name === event.name)) return;
    const workflow = { kind: event.kind, name: event.name, labels: {}, owner: null, spec: {} };
    Effect.runSync(Effect.result(port.create(workflow)));
  } else if (event.type === "delete") {
    const workflow = backend.cluster.objects().find((o) => o.owner === null && o.name === event.name);
    if (workflow) Effect.runSync(port.delete(workflow.kind, workflow.name));
  } else {
    const steps = backend.cluster.objects().filter((o) => o.owner !== null);
    const step = steps[event.pick % Math.max(1, steps.length)];
    if (step)
      Effect.runSync(
        port.writeConditions(step.kind, step.name, step.resourceVersion, [
          stepCondition(event.condition, event.condition, now),
        ]),
      );
  }
}

/** The reference: every pass reconciles every workflow object, as the operator did before the feed. */
function fullPass(port: ClusterShape): number {
  const list = (kind: string) => Effect.runSync(port.list(kind));
  const steps = new Map<string, ClusterObject>();
  for (const kind of stepKinds)
    for (const o of list(kind)) if (o.owner !== null) steps.set(`${o.kind}/${o.name}`, o);
  let acted = 0;
  for (const kind of Object.keys(workflowPlans))
    for (const workflow of list(kind)) {
      if (workflow.owner !== null) continue;
      const { actions } = reconcileWorkflow(workflow, steps, now);
      for (const action of actions) perform(port, workflow, action);
      acted += actions.length;
    }
  return acted;
}

function perform(port: ClusterShape, workflow: ClusterObject, action: OperatorAction) {
  const effect =
    action.type === "createStep"
      ? port.create(action.object)
      : action.type === "deleteStep"
        ? port.delete(action.kind, action.name)
        : port.writeConditions(workflow.kind, workflow.name, workflow.resourceVersion, action.conditions);
  Effect.runSync(Effect.result(effect));
}

const state = (backend: ReturnType<typeof makeMemoryBackend>) => JSON.stringify(backend.cluster.objects());

describe("change-driven control plane", () => {
  it("the operator reading the change feed leaves the cluster exactly as full passes over every workflow do, write for write", () => {
    fc.assert(
      fc.property(fc.array(arbitraryEvent, { maxLength: 40 }), (events) => {
        const ours = makeMemoryBackend({ seed: 1 });
        const reference = makeMemoryBackend({ seed: 1 });
        const operator = run(makeOperator(), ours.cluster.port);
        for (const event of events) {
          happen(ours, event);
          happen(reference, event);
          for (let i = 0; i < 20 && run(operator.runOnce(now), ours.cluster.port) > 0; i++);
          for (let i = 0; i < 20 && fullPass(reference.cluster.port) > 0; i++);
          // Same objects, same conditions, same resourceVersions: the same writes in the same order.
          expect(state(ours)).toBe(state(reference));
        }
      }),
    );
  });

  it("the informer's view of the change feed emits exactly what a full look at every workflow emits", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            arbitraryEvent,
            fc.record({
              type: fc.constant("workflow" as const),
              name: fc.constantFrom(...names),
              status: fc.constantFrom("Admitted", "Complete", "Failed"),
            }),
          ),
          { maxLength: 40 },
        ),
        (events) => {
          const backend = makeMemoryBackend({ seed: 2 });
          const { port } = backend.cluster;
          const workflowKinds = Object.keys(workflowPlans);
          let full = new Map<string, InformerEntry>();
          let incremental = new Map(full);
          let cursor: string | null = Effect.runSync(port.changes(workflowKinds, null)).cursor;
          for (const event of events) {
            if (event.type === "workflow") {
              const o = backend.cluster.objects().find((x) => x.owner === null && x.name === event.name);
              if (o)
                Effect.runSync(
                  port.writeConditions(o.kind, o.name, o.resourceVersion, [
                    ...o.conditions,
                    workflowCondition(event.status, null, now),
                  ]),
                );
            } else happen(backend, event);
            const listed = workflowKinds
              .flatMap((k) => Effect.runSync(port.list(k)))
              .filter((o) => o.owner === null);
            const expected = observeWorkflows(full, listed, now);
            const changes: ClusterChanges = Effect.runSync(port.changes(workflowKinds, cursor));
            cursor = changes.cursor;
            const got = observeChanges(
              incremental,
              changes.objects.filter((o) => o.owner === null),
              changes.deleted.map((d) => d.name),
              now,
            );
            expect(new Set(got.emits.map((e) => JSON.stringify(e)))).toEqual(
              new Set(expected.emits.map((e) => JSON.stringify(e))),
            );
            full = new Map([...full, ...expected.changed]);
            incremental = new Map([...incremental, ...got.changed]);
            expect(new Map([...incremental].sort())).toEqual(new Map([...full].sort()));
          }
        },
      ),
    );
  });
});
