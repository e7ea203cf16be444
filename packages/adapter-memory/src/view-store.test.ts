import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { makeMemoryViewStore } from "./view-store.js";

describe("the memory view", () => {
  it("tells a watcher every upsert it keeps, in order, and none it refuses as stale, until it stops watching", () => {
    const view = makeMemoryViewStore();
    const seen: string[] = [];
    const stop = view.onAccepted((d) => seen.push(`${d.id}@${d.version}`));
    const upsert = (id: string, version: number) =>
      Effect.runSync(view.port.upsert({ id, version, value: "{}" }));
    expect([upsert("b", 1), upsert("a", 1), upsert("b", 3), upsert("b", 2), upsert("a", 1)]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    stop();
    upsert("a", 2);
    expect(seen).toEqual(["b@1", "a@1", "b@3"]);
    expect(view.document("a")?.version).toBe(2);
    expect(view.document("c")).toBeUndefined();
    expect(view.documents().map((d) => `${d.id}@${d.version}`)).toEqual(["a@2", "b@3"]);
    upsert("0", 1);
    expect(view.documents().map((d) => d.id)).toEqual(["0", "a", "b"]);
  });
});
