import { DecodeError } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { decodeK8sConfig, k8sConfigFromEnv } from "./config.js";
import { defaultWatchTiming } from "./watch/timing.js";

const ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const good = { server: "https://127.0.0.1:16443", token: "secret-token", ca };

describe("the Kubernetes adapter's configuration", () => {
  it("fills the defaults", () => {
    expect(decodeK8sConfig(good)).toEqual({
      ...good,
      namespace: "default",
      group: "dyff.phasekit.dev",
      steps: "kubernetes",
      requestTimeoutMs: 15_000,
      watch: defaultWatchTiming,
    });
  });

  it("names every bad field, its value and what was expected, and never echoes the token", () => {
    const error = decodeK8sConfig({
      server: "http://127.0.0.1:16443/api",
      token: "",
      ca: "not a pem",
      namespace: "Not_A_Namespace",
      watch: { watchTimeoutSeconds: 60, stallMs: 1_000 },
    });
    expect(error).toBeInstanceOf(DecodeError);
    const issues = (error as DecodeError).issues;
    expect(issues.map((i) => i.path).sort()).toEqual(
      ["ca", "namespace", "server", "token", "watch.stallMs"].sort(),
    );
    expect(issues.find((i) => i.path === "ca")!.value).toBe("<hidden>");
    expect(issues.find((i) => i.path === "server")!.expected).toContain("https://");
    expect((error as DecodeError).message).not.toContain("not a pem");
  });

  it("reads the environment scripts/k8s/cluster.sh prints, or names what is missing", () => {
    expect(k8sConfigFromEnv({ PHASEKIT_K8S_SERVER: "https://x:1" })).toEqual([
      "PHASEKIT_K8S_TOKEN",
      "PHASEKIT_K8S_CA",
    ]);
  });
});
