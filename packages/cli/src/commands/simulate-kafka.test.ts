import { describe, expect, it } from "vitest";
import { cli } from "../testing/cli.js";
import { repoRoot } from "../testing/processes.js";

describe("phasekit simulate --kafka: usage", () => {
  it("a bad broker address is a usage error naming it, before anything connects", async () => {
    const r = await cli("simulate", "--kafka", "localhost", `${repoRoot}examples/quota-wait.yaml`);
    expect(r.code).toBe(2);
    expect(r.err).toContain('brokers[0]: got "localhost", expected host:port');
  });

  it("--prefix without --kafka is a usage error", async () => {
    const r = await cli("simulate", "--prefix", "p", `${repoRoot}examples/quota-wait.yaml`);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--prefix goes with --kafka");
  });

  it("the help says what --kafka does", async () => {
    const r = await cli("simulate", "--help");
    expect(r.out).toContain("--kafka B");
  });
});
