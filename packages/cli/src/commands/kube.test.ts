import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../testing/cli.js";
import { serve } from "./serve.js";

// `--kube` on the command line, where no API server is needed: the help, and every bad value or
// combination refused with exit 2 before anything connects. The int tests
// (serve-kube.int.test.ts, dyff-layout.int.test.ts) run it against the real API server.

const dir = mkdtempSync(join(tmpdir(), "phasekit-kube-usage-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const tokens = file("tokens.json", '{"t": "alice"}');
const ca = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").toString("base64");

describe("--kube: usage", () => {
  it("phasekit serve --help lists --kube for serve and serve api; simulate --help says what it does there", async () => {
    const serve = await cli("serve", "--help");
    expect(serve.out).toMatch(/phasekit serve <service>.*\[--kube KUBECONFIG\|in-cluster\]/);
    expect(serve.out).toMatch(/--kube K +the cluster/);
    expect(serve.out).toMatch(/phasekit serve api .*\[--kube K\]/);
    expect((await cli("simulate", "--help")).out).toMatch(
      /--kube K +play the scenario's Dyff resources.*\n.*\n.*\n.*Simulated time cannot drive real pods/,
    );
  });

  it("a kubeconfig that cannot be read or used: exit 2 naming --kube, the value and what was expected, no stack trace", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["--kube", join(dir, "missing")],
        /--kube: got ".*missing": kubeconfig: cannot read the file .* \(ENOENT\); expected a kubeconfig file or "in-cluster"/,
      ],
      [["--kube", file("text", "not: [a kubeconfig")], /--kube: got ".*text": kubeconfig .*: not YAML/],
      [
        [
          "--kube",
          file(
            "certs",
            `clusters: [{name: c, cluster: {server: "https://h:6443", certificate-authority-data: ${ca}}}]\nusers: [{name: u, user: {client-certificate-data: x, client-key-data: y}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n`,
          ),
        ],
        /users\.u: has client-certificate-data, client-key-data; expected a bearer token/,
      ],
      [["--kube", ""], /--kube: got "", expected a kubeconfig file or "in-cluster"/],
    ];
    for (const [args, message] of cases) {
      const served = await cli("serve", "api", "--tokens", tokens, ...args);
      expect(served).toMatchObject({ code: 2, err: expect.stringMatching(message) });
      expect(served.err).not.toMatch(/\n\s+at /);
      expect(await cli("serve", "operator,informer", "--kafka", "127.0.0.1:1", ...args)).toMatchObject({
        code: 2,
        err: expect.stringMatching(message),
      });
    }
  });

  it("--kube in-cluster outside a pod says which variables are missing", async () => {
    const saved = { ...process.env };
    delete process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_PORT;
    try {
      expect(await cli("serve", "api", "--tokens", tokens, "--kube", "in-cluster")).toMatchObject({
        code: 2,
        err: expect.stringContaining("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set"),
      });
    } finally {
      Object.assign(process.env, saved);
    }
  });

  it("combinations that make no sense are refused, naming the flags", async () => {
    const kube = join(dir, "missing");
    expect(await cli("serve", "api", "--tokens", tokens, "--kube", kube, "--kafka", "h:1")).toMatchObject({
      code: 2,
      err: expect.stringContaining("--kube: not with --kafka"),
    });
    expect(await cli("serve", "api", "--tokens", tokens, "--kube", kube, "--step-ms", "9")).toMatchObject({
      code: 2,
      err: expect.stringContaining("--step-ms: only for simulated steps, not with --kube"),
    });
    expect(
      await cli("simulate", "examples/dependency-chain.yaml", "--kube", kube, "--seed", "3"),
    ).toMatchObject({
      code: 2,
      err: expect.stringContaining("--seed: not with --kube"),
    });
  });

  it("simulate --kube refuses a scenario a real cluster cannot play, before connecting", async () => {
    const kube = join(dir, "missing");
    expect(await cli("simulate", "examples/terminate.yaml", "--kube", kube)).toMatchObject({
      code: 2,
      err: expect.stringContaining(
        "examples/terminate.yaml: events[0] is a terminate event: only fail events",
      ),
    });
    expect(await cli("simulate", "examples/runai-outage.yaml", "--kube", kube)).toMatchObject({
      code: 2,
      err: expect.stringContaining(
        "it has runai resources: only Dyff's control plane runs on a real cluster",
      ),
    });
  });

  it("serve operator,informer without --kube and without the orchestrator says their cluster is one no one writes to", async () => {
    let err = "";
    const io = { out: () => {}, err: (t: string) => void (err += t), interactive: false };
    const stopped = AbortSignal.abort();
    expect(await serve({ services: "operator,informer", kafka: "127.0.0.1:1" }, io, stopped)).toBe(0);
    expect(err).toContain("note: without --kube the cluster is in this process's memory");
    err = "";
    await serve({ services: "orchestrator,operator", kafka: "127.0.0.1:1" }, io, stopped);
    expect(err).not.toContain("note:");
  });
});
