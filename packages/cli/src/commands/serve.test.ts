import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sharedStores, viewTable } from "@phasekit/runtime";
import { describe, expect, it } from "vitest";
import { cli } from "../testing/cli.js";
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

  it("--kv and --view name the flag, the value and what was expected (exit 2), and never show a password", async () => {
    expect(
      await cli("serve", "orchestrator", "--kafka", "h:1", "--kv", "http://127.0.0.1:2379"),
    ).toMatchObject({
      code: 2,
      err: expect.stringContaining('--kv: got "http://127.0.0.1:2379", expected etcd://host:port'),
    });
    const view = await cli("serve", "sink", "--kafka", "h:1", "--view", "mongodb://u:hunter2@h/db");
    expect(view).toMatchObject({
      code: 2,
      err: expect.stringContaining('--view: got "mongodb://u:***@h/db", expected postgres://'),
    });
    expect(view.err).not.toContain("hunter2");
  });

  it("one --prefix names the etcd keys and the view table, unless the --kv URL gives a key prefix", async () => {
    expect((await sharedStores({ kv: "etcd://127.0.0.1:22379" }, "dyff")).kv?.where).toBe(
      "etcd http://127.0.0.1:22379 keys dyff/",
    );
    expect((await sharedStores({ kv: "etcd://a:1,b:2/mine/" }, "dyff")).kv?.where).toBe(
      "etcd http://a:1,http://b:2 keys mine/",
    );
    expect((await sharedStores({ view: "postgres://p@h:5432/db" }, "t-1")).view?.where).toBe(
      "PostgreSQL h:5432/db table t_1_view",
    );
    expect(viewTable("9lives")).toBe("v_9lives_view");
    expect(() => viewTable("x".repeat(60))).toThrow("--prefix: got");
  });

  it("serve api: --view only with --kafka, --kafka only with --view, and no service flags (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "phasekit-serve-"));
    const tokens = join(dir, "tokens.json");
    writeFileSync(tokens, JSON.stringify({ t: "alice" }));
    expect(await cli("serve", "api", "--tokens", tokens, "--view", "postgres://p@h/db")).toMatchObject({
      code: 2,
      err: expect.stringContaining("--view: only with --kafka"),
    });
    expect(await cli("serve", "api", "--tokens", tokens, "--kafka", "h:1")).toMatchObject({
      code: 2,
      err: expect.stringContaining("--view postgres://user@host:port/database is required with --kafka"),
    });
    expect(
      await cli(
        "serve",
        "api",
        "--tokens",
        tokens,
        "--kafka",
        "h:1",
        "--view",
        "postgres://p@h/db",
        "--seed",
        "1",
      ),
    ).toMatchObject({ code: 2, err: expect.stringContaining("--seed: only for the memory control plane") });
    expect(await cli("serve", "api", "--tokens", tokens, "--kv", "etcd://h:1")).toMatchObject({
      code: 2,
      err: expect.stringContaining("--kv: only for control-plane services"),
    });
  });
});
