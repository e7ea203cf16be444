import { type ClusterObject, type StepRole, stepCondition, stepKinds, workflowPlans } from "@phasekit/core";
import { Effect } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeMemoryCluster } from "../cluster.js";
import { noFaults } from "../faults.js";
import { makePrng } from "../prng.js";
import { ClusterPlayer, failureRole } from "./cluster-player.js";
import { stepDuration } from "./requests.js";

const step = (
  workflow: string,
  kind: string,
  role: string,
  gpu = 0,
  workflowKind = "Evaluation",
): ClusterObject => ({
  kind,
  name: `${workflow}-${role}`,
  labels: {},
  owner: workflow,
  spec: { workflow: { kind: workflowKind, id: workflow }, role, resources: { gpu, cpu: 0, memoryGiB: 0 } },
  conditions: [],
  resourceVersion: "1",
});
const player = (nodes?: { gpu: number }[]) =>
  new ClusterPlayer(
    nodes?.map((n, i) => ({ name: `n${i}`, gpu: n.gpu, cpu: 64, memoryGiB: 512 })),
    (kind, _id, role) => stepDuration(kind, role, 600_000),
  );

describe("the simulated cluster", () => {
  it("an Evaluation's client starts once its server is Available, and ends after its share of takes", () => {
    const p = player();
    const objects = [step("e1", "InferenceSession", "session", 1), step("e1", "Job", "client")];
    const [server, ...none] = p.sync(0, objects);
    expect(none).toEqual([]);
    expect(server).toMatchObject({ at: 0, key: "InferenceSession/e1-session" });
    expect(p.finish(server!.key, server!.generation, "t")?.condition).toMatchObject({
      type: "Available",
      status: "True",
    });
    expect(p.sync(0, objects)).toEqual([
      { at: 540_000, key: "Job/e1-client", generation: expect.any(Number) },
    ]);
  });

  it("steps wait for a node with room, first come first served, and start when one frees", () => {
    const p = player([{ gpu: 1 }]);
    const a = step("a", "Job", "run", 1, "Report");
    const b = step("b", "Job", "run", 1, "Report");
    const [first] = p.sync(0, [a, b]);
    expect(first?.key).toBe("Job/a-run");
    expect(p.pending()).toEqual(["b-run"]);
    expect(p.finish(first!.key, first!.generation, "t")?.condition.type).toBe("Complete");
    expect(p.sync(600_000, [b])).toEqual([
      { at: 1_200_000, key: "Job/b-run", generation: expect.any(Number) },
    ]);
    expect(p.pending()).toEqual([]);
  });

  it("a step that fits no node never starts; one deleted while running frees its node", () => {
    const p = player([{ gpu: 2 }]);
    expect(p.sync(0, [step("big", "Job", "run", 3, "Report")])).toEqual([]);
    expect(p.pending()).toEqual(["big-run"]);
    const q = player([{ gpu: 1 }]);
    q.sync(0, [step("a", "Job", "run", 1, "Report")]);
    expect(q.sync(10, [step("b", "Job", "run", 1, "Report")])).toMatchObject([
      { key: "Job/b-run", at: 600_010 },
    ]);
  });

  it("a failure hits the running step now, is armed for a step not started, and is late for an ended one", () => {
    const p = player();
    const fetch = step("m1", "Job", "fetch", 0, "Model");
    const [natural] = p.sync(0, [fetch]);
    const now = p.fail(1000, "Model", "m1", "FetchFailed");
    expect(now).toMatchObject({ effect: "now", finishes: [{ at: 1000, key: "Job/m1-fetch" }] });
    expect(p.isStale(natural!.key, natural!.generation)).toBe(true);
    expect(p.finish(now.finishes[0]!.key, now.finishes[0]!.generation, "t")?.condition).toMatchObject({
      type: "Failed",
      reason: "FetchFailed",
    });
    expect(p.fail(2000, "Model", "m1", "FetchFailed").effect).toBe("late");
    expect(p.fail(0, "Evaluation", "e1", "VerificationFailed").effect).toBe("armed");
    expect(p.sync(5000, [step("e1", "Job", "verify")])).toEqual([
      { at: 5000, key: "Job/e1-verify", generation: expect.any(Number) },
    ]);
  });

  it("each work failure hits the step of its stage", () => {
    expect(failureRole("Evaluation", "InferenceFailed")).toBe("client");
    expect(failureRole("Evaluation", "VerificationFailed")).toBe("verify");
    expect(failureRole("Model", "FetchFailed")).toBe("fetch");
    expect(failureRole("InferenceService", "BuildFailed")).toBe("build");
    expect(failureRole("Report", "RunFailed")).toBe("run");
    expect(failureRole("Model", "RunFailed")).toBeUndefined();
  });
});

/**
 * The reference: the player as it was before the change feed, rescanning every step it ever saw on
 * every sync (pending ones sorted by when seen, then name; first fit by scanning the nodes).
 */
class RescanPlayer {
  private readonly steps = new Map<
    string,
    {
      kind: string;
      name: string;
      workflow: string;
      workflowKind: string;
      role: StepRole;
      server: boolean;
      gpu: number;
      seenAt: number;
      phase: string;
      noRoom: boolean;
      node: number | null;
      generation: number;
      ending: { type: "Complete" | "Failed" | "Available"; reason: string } | null;
    }
  >();
  private readonly armed = new Map<string, { at: number; reason: string }>();
  private readonly ended = new Set<string>();
  private generations = 0;
  constructor(private readonly free: number[] | undefined) {}

  sync(now: number, objects: readonly ClusterObject[]) {
    const present = new Set<string>();
    for (const o of objects) {
      const key = `${o.kind}/${o.name}`;
      present.add(key);
      if (this.steps.has(key)) continue;
      const spec = o.spec as {
        workflow: { kind: string; id: string };
        role: StepRole;
        resources: { gpu: number };
      };
      const plan = workflowPlans[spec.workflow.kind]!.stages.flatMap((st) => st.steps);
      const server = plan.find((st) => st.role === spec.role)?.server === true;
      this.steps.set(key, {
        ...{ kind: o.kind, name: o.name, workflow: spec.workflow.id, workflowKind: spec.workflow.kind },
        ...{ role: spec.role, server, gpu: spec.resources.gpu, seenAt: now, phase: "pending", noRoom: false },
        ...{ node: null, generation: 0, ending: null },
      });
    }
    for (const [key, st] of this.steps) {
      if (present.has(key)) continue;
      if (st.node !== null && st.phase !== "pending") this.free![st.node]! += st.gpu;
      this.steps.delete(key);
    }
    const finishes: { at: number; key: string; generation: number }[] = [];
    const queue = [...this.steps.values()]
      .filter((st) => st.phase === "pending")
      .sort((a, b) => a.seenAt - b.seenAt || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const st of queue) {
      const ready = [...this.steps.values()].every(
        (o) => o.workflow !== st.workflow || !o.server || o.phase === "available",
      );
      if (!st.server && !ready) continue;
      const node = this.free === undefined ? null : this.free.findIndex((f) => f >= st.gpu);
      st.noRoom = node === -1;
      if (node === -1) continue;
      if (node !== null) this.free![node]! -= st.gpu;
      st.node = node;
      st.phase = "running";
      const armed = this.armed.get(`${st.workflow}/${st.role}`);
      const natural = now + stepDuration(st.workflowKind, st.role, 600_000);
      const [at, type, reason] =
        armed && armed.at <= natural
          ? ([Math.max(now, armed.at), "Failed", armed.reason] as const)
          : ([natural, st.server ? "Available" : "Complete", st.server ? "Available" : "Complete"] as const);
      st.generation = ++this.generations;
      st.ending = { type, reason };
      finishes.push({ at, key: `${st.kind}/${st.name}`, generation: st.generation });
    }
    return finishes;
  }

  fail(now: number, workflowKind: string, workflow: string, reason: string) {
    const role = failureRole(workflowKind, reason);
    if (role === undefined || this.ended.has(`${workflow}/${role}`)) return { effect: "late", finishes: [] };
    this.armed.set(`${workflow}/${role}`, { at: now, reason });
    const st = [...this.steps.values()].find((o) => o.workflow === workflow && o.role === role);
    if (st?.phase !== "running") return { effect: "armed", finishes: [] };
    st.generation = ++this.generations;
    st.ending = { type: "Failed", reason };
    return {
      effect: "now",
      finishes: [{ at: now, key: `${st.kind}/${st.name}`, generation: st.generation }],
    };
  }

  finish(key: string, generation: number, at: string) {
    const st = this.steps.get(key);
    if (!st || st.generation !== generation || st.phase !== "running" || !st.ending) return undefined;
    if (st.ending.type === "Available") st.phase = "available";
    else {
      st.phase = "ended";
      this.ended.add(`${st.workflow}/${st.role}`);
      if (st.node !== null) this.free![st.node]! += st.gpu;
      st.node = null;
    }
    return { kind: st.kind, name: st.name, condition: stepCondition(st.ending.type, st.ending.reason, at) };
  }

  pending() {
    return [...this.steps.values()].filter((st) => st.phase === "pending" && st.noRoom).map((st) => st.name);
  }
}

describe("the simulated cluster on the change feed", () => {
  type Change =
    | { readonly type: "create"; readonly workflow: number; readonly role: number; readonly gpu: number }
    | { readonly type: "delete"; readonly pick: number }
    | { readonly type: "finish"; readonly pick: number }
    | { readonly type: "fail"; readonly workflow: number };
  const roles = [
    ["InferenceSession", "session", "Evaluation"],
    ["Job", "client", "Evaluation"],
    ["Job", "verify", "Evaluation"],
    ["Job", "run", "Report"],
  ] as const;
  const change: fc.Arbitrary<Change> = fc.oneof(
    fc.record({
      type: fc.constant("create" as const),
      workflow: fc.nat(5),
      role: fc.nat(roles.length - 1),
      gpu: fc.nat(3),
    }),
    fc.record({ type: fc.constant("delete" as const), pick: fc.nat() }),
    fc.record({ type: fc.constant("finish" as const), pick: fc.nat() }),
    fc.record({ type: fc.constant("fail" as const), workflow: fc.nat(5) }),
  );

  it("syncChanges from the feed plays exactly what rescanning every step plays, pending notes included, for any run", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.array(change, { maxLength: 6 }), { maxLength: 40 }),
        (few, rounds) => {
          const cluster = makeMemoryCluster(makePrng(1), () => noFaults);
          const nodes = few ? [{ gpu: 2 }, { gpu: 3 }] : undefined;
          const listing = new RescanPlayer(nodes?.map((n) => n.gpu));
          const feed = player(nodes);
          const noted = { listing: new Set<string>(), feed: new Set<string>() };
          const note = (names: readonly string[], seen: Set<string>) =>
            names.filter((n) => !seen.has(n) && seen.add(n));
          let cursor: string | null = null;
          const finishes: { key: string; generation: number }[] = [];
          for (const [i, round] of rounds.entries()) {
            const now = Math.floor(i / 2) * 1000; // two syncs per instant: steps seen together and apart
            for (const c of round) {
              if (c.type === "create") {
                const [kind, role, workflowKind] = roles[c.role]!;
                const o = step(`w${c.workflow}`, kind, role, c.gpu, workflowKind);
                Effect.runSync(Effect.ignore(cluster.port.create(o)));
              } else if (c.type === "delete") {
                const objects = cluster.objects();
                const o = objects[c.pick % Math.max(1, objects.length)];
                if (o) Effect.runSync(cluster.port.delete(o.kind, o.name));
              } else if (c.type === "finish") {
                const f = finishes[c.pick % Math.max(1, finishes.length)];
                if (f)
                  expect(feed.finish(f.key, f.generation, "t")).toEqual(
                    listing.finish(f.key, f.generation, "t"),
                  );
              } else {
                const reason = c.workflow % 2 === 0 ? "InferenceFailed" : "RunFailed";
                const kind = c.workflow % 2 === 0 ? "Evaluation" : "Report";
                const a = listing.fail(now, kind, `w${c.workflow}`, reason);
                expect(feed.fail(now, kind, `w${c.workflow}`, reason)).toEqual(a);
                finishes.push(...a.finishes);
              }
            }
            const full = listing.sync(
              now,
              cluster.objects().filter((o) => (stepKinds as readonly string[]).includes(o.kind)),
            );
            const changes = cluster.changesNow(stepKinds, cursor);
            cursor = changes.cursor;
            expect(feed.syncChanges(now, changes)).toEqual(full);
            expect(feed.pending()).toEqual(listing.pending());
            // The simulator notes each step once, when it first finds no room.
            expect(note(feed.noRoomAtLastSync(), noted.feed)).toEqual(note(listing.pending(), noted.listing));
            finishes.push(...full);
          }
        },
      ),
    );
  });
});
