import { describe, expect, it } from "vitest";
import { dyff, dyffKinds } from "../systems/dyff/index.js";
import { TransitionError } from "./errors.js";
import type { AnyLifecycle } from "./lifecycle.js";
import type { StatusRecord } from "./record.js";

// The fast paths of Lifecycle (shared rejections, moveTo without a second lookup): what they must keep.
const lc = dyff.Evaluation;
const created = lc.initial("2026-01-01T00:00:00Z");
const succeed = { type: "succeed" } as const;

describe("Lifecycle rejections", () => {
  it("an event the table rejects in a leaf always yields the same frozen TransitionError", () => {
    const first = lc.step(created, succeed);
    const again = lc.step(
      { ...created, message: "other" },
      { type: "succeed", reason: null, at: "2026-01-01T00:00:09Z" },
    );
    expect(first).toBeInstanceOf(TransitionError);
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen((first as TransitionError).allowed)).toBe(true);
  });

  it("a rejected event unknown to the kind names that event", () => {
    const wide: AnyLifecycle = lc; // a reason admit cannot carry does not compile on the typed lifecycle
    const err = wide.step(created, { type: "admit", reason: "NoSuchReason" }) as TransitionError;
    expect(err.event).toEqual({ type: "admit", reason: "NoSuchReason" });
    expect(wide.step(created, { type: "admit", reason: "Other" })).not.toBe(err);
  });

  it("stepOrThrow throws a fresh error whose stack names its caller", () => {
    const shared = lc.step(created, succeed);
    let thrown: unknown;
    try {
      lc.stepOrThrow(created, succeed);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(TransitionError);
    expect(thrown).not.toBe(shared);
    expect((thrown as Error).message).toBe((shared as Error).message);
    expect((thrown as Error).stack).toContain("lifecycle.test.ts");
  });

  it("replay returns its own error with the index, leaving the shared one unchanged", () => {
    const shared = lc.step(created, succeed);
    const replayed = lc.replay([{ type: "admit" }, succeed]);
    expect(replayed).toMatchObject({ _tag: "TransitionError", index: 1 });
    expect(replayed).not.toBe(shared);
    expect(shared).not.toHaveProperty("index");
  });

  it("allowed() returns a copy: changing it changes nothing later", () => {
    const allowed = lc.allowed("Created", null);
    const before = allowed.length;
    allowed.length = 0;
    expect(lc.allowed("Created", null)).toHaveLength(before);
  });
});

describe("Lifecycle.moveTo", () => {
  it("moving to the leaf an accepted event leads to gives the record stepping that event gives, for every kind", () => {
    for (const kind of Object.values(dyffKinds)) {
      const lifecycle: AnyLifecycle = kind.lifecycle;
      for (const leaf of lifecycle.leaves) {
        const from: StatusRecord = { ...leaf, message: "before", lastTransitionTime: "2026-01-01T00:00:00Z" };
        for (const event of lifecycle.allowed(leaf.status, leaf.reason)) {
          const stepped = lifecycle.step(from, { ...event, message: "after", at: "2026-01-01T00:00:01Z" });
          if (stepped instanceof Error || (stepped.status === leaf.status && stepped.reason === leaf.reason))
            continue;
          const moved = lifecycle.moveTo(from, {
            status: stepped.status,
            reason: stepped.reason,
            message: "after",
            at: "2026-01-01T00:00:01Z",
          });
          expect(moved).toEqual(stepped);
          expect(lifecycle.moveTo(from, { status: stepped.status, reason: stepped.reason })).toEqual({
            ...stepped,
            message: null,
            lastTransitionTime: null, // no `at`: the time of this change is unknown, not the old one
          });
        }
      }
    }
  });

  it("a move no event makes is rejected, names the target, and is the same frozen error every time", () => {
    const err = lc.moveTo(created, { status: "Complete" }) as TransitionError;
    expect(err).toBeInstanceOf(TransitionError);
    expect(err.event).toEqual({ type: "moveTo(Complete)", reason: null });
    expect(err.status).toBe("Created");
    expect(lc.moveTo(created, { status: "Complete", message: "m", at: "2026-01-01T00:00:09Z" })).toBe(err);
    expect(Object.isFrozen(err)).toBe(true);
  });
});
