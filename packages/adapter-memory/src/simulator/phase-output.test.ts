import { phases } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { exampleFiles as names, runExample } from "./examples.test-support.js";
import { renderJsonl, renderText } from "./render.js";

describe("the phase in the simulator's outputs", () => {
  it.each(names)(
    "%s: every JSONL status record carries its status's phase from the machine, never Unknown",
    (file) => {
      const lines = renderJsonl(runExample(file))
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as { record: string; phase?: string; status?: string });
      const statuses = lines.filter((l) => l.record === "status");
      expect(statuses.length).toBeGreaterThan(0);
      for (const s of statuses) {
        expect(phases).toContain(s.phase);
        expect(s.phase, `${JSON.stringify(s)}`).not.toBe("Unknown");
      }
    },
  );

  it("the text timeline shows the phase beside each status, and the final table has a PHASE column", () => {
    const text = renderText(runExample("quota-wait.yaml"), "quota-wait");
    expect(text).toMatch(/Created\/QuotaLimit +\[Pending\]/);
    expect(text).toMatch(/Admitted +\[Running\]/);
    expect(text).toMatch(/ {2}KIND +ID +STATUS +REASON +PHASE\n/);
    expect(text).toMatch(/Complete +- +Succeeded\n/);
  });
});
