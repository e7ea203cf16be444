import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../testing/cli.js";
import { readTokens, serveApi } from "./serve-api.js";

const dir = mkdtempSync(join(tmpdir(), "phasekit-serve-api-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("phasekit serve api: usage", () => {
  it("a tokens file maps each token to its account; a bad entry is named by position, never by its token", () => {
    expect(readTokens(file("good.json", '{"s3cret": "alice"}'))).toEqual({ s3cret: "alice" });
    expect(() => readTokens(file("bad.json", '{"ok": "alice", "hush-hush": 5}'))).toThrow(/entry 2: got 5/);
    expect(() => readTokens(file("bad.json", '{"ok": "alice", "hush-hush": 5}'))).not.toThrow(/hush-hush/);
    expect(() => readTokens(file("list.json", "[]"))).toThrow(/expected a JSON object/);
    expect(() => readTokens(file("empty.json", "{}"))).toThrow(/at least one token/);
    expect(() => readTokens(file("text.json", "tokens"))).toThrow(/not JSON/);
  });

  it("a missing --tokens or a bad number is a usage error (exit 2) naming the option", async () => {
    expect(await cli("serve", "api")).toMatchObject({
      code: 2,
      err: expect.stringContaining("--tokens FILE is required"),
    });
    const tokens = file("t.json", '{"t": "alice"}');
    expect(await cli("serve", "api", "--tokens", tokens, "--port", "70000")).toMatchObject({
      code: 2,
      err: expect.stringContaining('--port: got "70000", expected a port from 0 to 65535'),
    });
    expect(await cli("serve", "api", "--tokens", tokens, "--failure-rate", "2")).toMatchObject({
      code: 2,
      err: expect.stringContaining("--failure-rate"),
    });
  });

  it("prints the URL once it listens and stops with exit code 0 when told to", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const stop = new AbortController();
    const io = {
      out: (t: string) => void out.push(t),
      err: (t: string) => void err.push(t),
      interactive: false,
    };
    const done = serveApi({ tokens: file("t2.json", '{"t": "alice"}') }, io, stop.signal);
    while (out.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect(out[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v0\n$/);
    const res = await fetch(`${out[0]!.trim()}/models`, { headers: { authorization: "Bearer t" } });
    expect(await res.json()).toEqual([]);
    stop.abort();
    expect(await done).toBe(0);
    expect(err.join("")).toContain("stopped");
  });
});
