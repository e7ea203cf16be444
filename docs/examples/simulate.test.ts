import { describe, expect, it } from "vitest";
import { quotaWait } from "./simulate.js";

describe("docs/examples/simulate.ts", () => {
  it("runs: the second evaluation waits for the GPU, both complete, every invariant holds", async () => {
    const result = await quotaWait();
    expect(result.held).toBe(true);
    const e2 = result.timeline
      .filter((e) => e.id === "e2")
      .map((e) => (e.reason ? `${e.status}/${e.reason}` : e.status));
    expect(e2).toContain("Created/QuotaLimit");
    expect(e2.at(-1)).toBe("Complete");
    expect(result.final.map((f) => f.status)).toEqual(["Ready", "Ready", "Ready", "Complete", "Complete"]);
  });
});
