import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../kafka/testing/cli.js";
import { parseServices, readQuotas } from "./serve.js";

describe("phasekit serve: usage", () => {
  it("services are named one by one, comma-separated, or all, and come back in pipeline order", () => {
    expect(parseServices("all")).toEqual(["aggregator", "sink", "orchestrator", "operator", "informer"]);
    expect(parseServices("informer,aggregator")).toEqual(["aggregator", "informer"]);
  });

  it("an unknown service, a missing --kafka or a bad broker address is a usage error (exit 2)", async () => {
    expect(await cli("serve", "aggregatr", "--kafka", "h:1")).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown service "aggregatr"'),
    });
    expect(await cli("serve", "sink")).toMatchObject({ code: 2, err: expect.stringContaining("--kafka") });
    expect(await cli("serve", "sink", "--kafka", "h")).toMatchObject({
      code: 2,
      err: expect.stringContaining('brokers[0]: got "h"'),
    });
  });

  it("a quotas file is checked field by field", () => {
    const dir = mkdtempSync(join(tmpdir(), "phasekit-serve-"));
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify({ alice: { gpu: 1, slots: 2 } }));
    expect(readQuotas(good)).toEqual({ alice: { gpu: 1, slots: 2 } });
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ alice: { gpu: -1, cpus: 2 } }));
    expect(() => readQuotas(bad)).toThrow(/alice\.gpu.*-1[\s\S]*alice\.cpus/);
    const stdin = {
      out: () => {},
      err: () => {},
      interactive: false,
      stdin: () => new TextEncoder().encode('{"bob": {"slots": 1}}'),
    };
    expect(readQuotas("-", stdin)).toEqual({ bob: { slots: 1 } });
    expect(() => readQuotas("-", { ...stdin, stdin: () => new TextEncoder().encode("{") })).toThrow(
      "--quotas: cannot read <stdin> as JSON",
    );
  });
});
