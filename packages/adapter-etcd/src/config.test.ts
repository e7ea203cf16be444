import { DecodeError } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { decodeEtcdConfig, parseEtcdUrl } from "./config.js";

describe("etcd configuration", () => {
  it("fills in the scheme, the prefix and the timeout", () => {
    expect(decodeEtcdConfig({ endpoints: "127.0.0.1:2379, https://etcd-2:2379/" })).toEqual({
      endpoints: ["http://127.0.0.1:2379", "https://etcd-2:2379"],
      prefix: "phasekit/",
      timeoutMs: 5000,
    });
  });

  it("names the field, the value and what was expected", () => {
    const bad = decodeEtcdConfig({ endpoints: ["127.0.0.1:2379", "nowhere"] });
    expect(bad).toBeInstanceOf(DecodeError);
    expect((bad as DecodeError).message).toContain('endpoints[1]: got "nowhere", expected an etcd endpoint');
    expect((decodeEtcdConfig({ endpoints: "h:99999" }) as DecodeError).issues[0]!.path).toBe("endpoints");
    expect((decodeEtcdConfig({ endpoints: "h:1", timeoutMs: 0 }) as DecodeError).message).toContain(
      "timeoutMs: got 0, expected a whole number of milliseconds > 0",
    );
    expect(decodeEtcdConfig({ endpoints: "" })).toBeInstanceOf(DecodeError);
  });

  it("reads etcd:// URLs, the path as the prefix", () => {
    expect(parseEtcdUrl("etcd://127.0.0.1:22379")).toEqual({
      endpoints: ["http://127.0.0.1:22379"],
      prefix: "phasekit/",
      timeoutMs: 5000,
    });
    expect(parseEtcdUrl("etcds://a:1,b:2/dyff/")).toMatchObject({
      endpoints: ["https://a:1", "https://b:2"],
      prefix: "dyff/",
    });
    const bad = parseEtcdUrl("http://127.0.0.1:2379", "--kv") as DecodeError;
    expect(bad.message).toContain('--kv: got "http://127.0.0.1:2379", expected etcd://host:port');
    expect((parseEtcdUrl("etcd://nohost", "--kv") as DecodeError).message).toContain(
      '--kv: got "etcd://nohost", expected an etcd endpoint',
    );
  });
});
