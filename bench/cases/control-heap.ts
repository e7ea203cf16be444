import { layerMemoryBackend, type MemoryBackendShape, makeMemoryBackend } from "@phasekit/adapter-memory";
import { type DyffEntity, encodeState, makeOrchestrator, StateLog } from "@phasekit/core";
import { Effect } from "effect";
import { liveHeap } from "../harness.js";
import type { Figure } from "../report.js";

/**
 * Issue 17: the control plane's heap per finished entity stays flat. The orchestrator runs on the
 * memory adapter; batches of Models are created, admitted, run and finished until `entities` have
 * finished. The bench writes each entity's states on the state log (Created, then Admitted and
 * Ready), as the aggregator would after the orchestrator's `Admitted` and the informer's `Ready`;
 * the orchestrator admits each one (compare-and-set of its admission record, its workflow object,
 * an `Admitted` event) and releases it once Ready. The state log is compacted after every tenth of
 * the entities (a compacted topic keeps one record per key), before the heap is read.
 *
 * The heap after a forced GC is read after the first 90% and after all: bytes per finished entity
 * of the last 10% against the first 90% (goal <= 1.05x). Everything the memory backend keeps per
 * entity (the state log's newest record, the event log's `Admitted` events, the admission record,
 * the workflow object) and the orchestrator's newest state per id grow linearly and are in both
 * figures alike; what must not be there is anything that grows faster, or a per-entity mark that
 * outlives the entity's last action (the orchestrator's `emitted` map did, before issue 17). A
 * linear leak keeps the ratio flat, so the case also weighs the orchestrator alone: the heap freed
 * when its scope closes, per finished entity.
 */
export interface ControlHeapSize {
  /** Entities created and finished in all (a multiple of `batch` times 10). */
  readonly entities: number;
  /** Entities created per batch (then all admitted, then all finished). */
  readonly batch: number;
}

const at = "2026-01-01T00:00:00.000Z";

const model = (i: number): DyffEntity => ({
  kind: "Model",
  id: `m${String(i).padStart(7, "0")}`,
  account: `acct-${i % 30}`,
  schemaVersion: 0,
  revision: 1,
  creationTime: at,
  lastTransitionTime: null,
  status: "Created",
  reason: null,
  message: null,
  labels: {},
  spec: { resources: { gpu: 1, cpu: 0, memoryGiB: 0 } },
});

/** Runs the orchestrator over `memory` to the end; the heap before, at 90% and at the end. */
function runControlPlane(memory: MemoryBackendShape, entities: number, batch: number) {
  const heaps: number[] = [];
  const program = Effect.gen(function* () {
    const stateLog = yield* StateLog;
    const orchestrator = yield* makeOrchestrator();
    const settle = function* () {
      while ((yield* orchestrator.runOnce(at)) > 0) {}
    };
    heaps.push(liveHeap());
    for (let from = 0; from < entities; from += batch) {
      const created = Array.from({ length: batch }, (_, k) => model(from + k));
      yield* stateLog.append(
        created.map((entity) => ({ key: entity.id, value: encodeState({ version: 1, entity }) })),
      );
      yield* settle();
      yield* stateLog.append(
        created.flatMap((e) => [
          { key: e.id, value: encodeState({ version: 2, entity: { ...e, status: "Admitted" } }) },
          { key: e.id, value: encodeState({ version: 3, entity: { ...e, status: "Ready" } }) },
        ]),
      );
      yield* settle();
      // A compacted topic's cleaner runs now and then; here once per tenth, before the heap is read.
      if ((from + batch) % (entities / 10) === 0) memory.state.compact();
      if (from + batch === (entities * 9) / 10) heaps.push(liveHeap());
    }
    heaps.push(liveHeap());
  });
  const cpu0 = process.cpuUsage();
  Effect.runSync(Effect.scoped(program).pipe(Effect.provide(layerMemoryBackend(memory))));
  return { heaps, cpu: process.cpuUsage(cpu0) };
}

export function controlHeapCase(size: ControlHeapSize): Figure[] {
  const { entities, batch } = size;
  if (entities % (batch * 10) !== 0)
    throw new Error(`control-heap: entities ${entities} is not a multiple of 10 batches of ${batch}`);
  let backend: MemoryBackendShape | undefined = makeMemoryBackend({ seed: 1 });
  const { heaps, cpu } = runControlPlane(backend, entities, batch);
  // The orchestrator's scope is closed: what is still alive is the backend's (and the bench's).
  const backendOnly = liveHeap();
  let released = 0;
  for (const { value } of backend.keyValue.entries().values())
    if ((JSON.parse(value) as { releasedAt: string | null }).releasedAt !== null) released++;
  if (released !== entities) throw new Error(`control-heap: ${released} of ${entities} released`);
  // What each store of the backend holds per entity: the heap freed when it is let go, one by one.
  const stores: Partial<Record<"events" | "state" | "keyValue" | "cluster", unknown>> = {
    events: backend.events,
    state: backend.state,
    keyValue: backend.keyValue,
    cluster: backend.cluster,
  };
  backend = undefined;
  const perStore: string[] = [];
  let before = liveHeap();
  for (const name of ["events", "state", "keyValue", "cluster"] as const) {
    delete stores[name];
    const after = liveHeap();
    perStore.push(`${name} ${((before - after) / entities).toFixed(0)}`);
    before = after;
  }
  const [h0, h90, h100] = heaps as [number, number, number];
  const first = (h90 - h0) / ((entities * 9) / 10);
  const last = (h100 - h90) / (entities / 10);
  const orchestratorOwn = (h100 - backendOnly) / entities;
  console.error(
    `  control-heap: ${entities} finished in ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU; heap ${(h0 / 2 ** 20).toFixed(0)} -> ${(h90 / 2 ** 20).toFixed(0)} -> ${(h100 / 2 ** 20).toFixed(0)} MiB, ${(backendOnly / 2 ** 20).toFixed(0)} MiB once the orchestrator is gone; B/entity by store: ${perStore.join(", ")}`,
  );
  return [
    {
      case: "control-heap",
      subject: `${entities} entities, batches of ${batch}`,
      metric: "heap per finished entity: last 10% / first 90%",
      value: last,
      unit: "B/entity",
      baseline: { name: "first 90%", value: first },
      ratio: last / first,
      ratioUnit: "x",
      goal: { op: "<=", value: 1.05 },
      note: `after forced GC; orchestrator on the memory adapter, everything the backend keeps per entity included (${((h100 - h0) / entities).toFixed(0)} B/entity over the run)`,
    },
    {
      case: "control-heap",
      subject: `${entities} entities, batches of ${batch}`,
      metric: "orchestrator's own heap per finished entity",
      value: orchestratorOwn,
      unit: "B/entity",
      ratio: Math.round(orchestratorOwn),
      ratioUnit: "count",
      note: `the heap freed when the orchestrator's scope closes, over the entities: per id its admission record and a finished entity's outcome (dependants look them up); no spec, no mark of what it produced. The backend's stores, B/entity: ${perStore.join(", ")}`,
    },
  ];
}
