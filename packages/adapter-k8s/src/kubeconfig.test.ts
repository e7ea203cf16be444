import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { inClusterConfig, KubeconfigError, loadKubeconfig } from "./kubeconfig.js";

const ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const token = "s3cret-token-value";

function kubeconfig(doc: unknown, extra: Record<string, string> = {}): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "phasekit-kubeconfig-"));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  const file = join(dir, "config");
  writeFileSync(file, typeof doc === "string" ? doc : stringify(doc));
  return { file, dir };
}

const valid = (cluster: object, user: object, namespace?: string) => ({
  apiVersion: "v1",
  kind: "Config",
  clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:16443", ...cluster } }],
  users: [{ name: "u", user }],
  contexts: [{ name: "ctx", context: { cluster: "c", user: "u", ...(namespace && { namespace }) } }],
  "current-context": "ctx",
});

const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(KubeconfigError);
    return (error as Error).message;
  }
  throw new Error("expected a KubeconfigError");
};

describe("a kubeconfig file", () => {
  it("gives the current context's server, inline CA, token and namespace", () => {
    const { file } = kubeconfig(
      valid({ "certificate-authority-data": Buffer.from(ca).toString("base64") }, { token }, "team-a"),
    );
    expect(loadKubeconfig(file)).toEqual({
      server: "https://127.0.0.1:16443",
      token,
      ca,
      namespace: "team-a",
    });
  });

  it("reads a relative certificate-authority and tokenFile from the kubeconfig's directory; namespace default", () => {
    const { file } = kubeconfig(valid({ "certificate-authority": "ca.crt" }, { tokenFile: "token" }), {
      "ca.crt": ca,
      token: `${token}\n`,
    });
    expect(loadKubeconfig(file)).toEqual({
      server: "https://127.0.0.1:16443",
      token,
      ca,
      namespace: "default",
    });
  });

  it("refuses what the adapter cannot use, naming the file, the field and what was expected, never the token", () => {
    const missing = join(tmpdir(), "phasekit-no-such-kubeconfig");
    expect(errorOf(() => loadKubeconfig(missing))).toMatch(
      /cannot read the file .*phasekit-no-such-kubeconfig \(ENOENT\)/,
    );
    expect(errorOf(() => loadKubeconfig(kubeconfig("a: [\n").file))).toMatch(/not YAML/);
    expect(errorOf(() => loadKubeconfig(kubeconfig("just text").file))).toMatch(/expected a kubeconfig/);
    const certs = kubeconfig(
      valid(
        { "certificate-authority-data": Buffer.from(ca).toString("base64") },
        { "client-certificate-data": "x" },
      ),
    );
    expect(errorOf(() => loadKubeconfig(certs.file))).toMatch(
      /users\.u: has client-certificate-data; expected a bearer token \(token or tokenFile\)/,
    );
    const insecure = kubeconfig(valid({ "insecure-skip-tls-verify": true }, { token }));
    const message = errorOf(() => loadKubeconfig(insecure.file));
    expect(message).toMatch(/insecure-skip-tls-verify: true; expected the cluster's CA/);
    expect(message).not.toContain(token);
    const http = kubeconfig(valid({ server: "http://127.0.0.1:8080" }, { token }));
    expect(errorOf(() => loadKubeconfig(http.file))).toMatch(
      /clusters\.c\.server: got "http:\/\/127\.0\.0\.1:8080", expected an https:\/\/ URL/,
    );
    const noCurrent = kubeconfig({ ...valid({}, { token }), "current-context": "other" });
    expect(errorOf(() => loadKubeconfig(noCurrent.file))).toMatch(
      /contexts: no entry named "other" \(has: "ctx"\)/,
    );
  });
});

describe("the in-cluster ServiceAccount", () => {
  const env = (dir: string) => ({
    KUBERNETES_SERVICE_HOST: "10.0.0.1",
    KUBERNETES_SERVICE_PORT: "443",
    PHASEKIT_K8S_SERVICEACCOUNT_DIR: dir,
  });

  it("reads token, ca.crt and namespace from the directory, the server from the service variables", () => {
    const dir = mkdtempSync(join(tmpdir(), "phasekit-sa-"));
    writeFileSync(join(dir, "token"), token);
    writeFileSync(join(dir, "ca.crt"), ca);
    writeFileSync(join(dir, "namespace"), "dyff\n");
    expect(inClusterConfig(env(dir))).toEqual({
      server: "https://10.0.0.1:443",
      token,
      ca,
      namespace: "dyff",
    });
    expect(inClusterConfig({ ...env(dir), KUBERNETES_SERVICE_HOST: "fd00::1" }).server).toBe(
      "https://[fd00::1]:443",
    );
  });

  it("says what is missing outside a pod", () => {
    const dir = mkdtempSync(join(tmpdir(), "phasekit-sa-"));
    mkdirSync(join(dir, "empty"));
    expect(errorOf(() => inClusterConfig({}))).toMatch(
      /KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set/,
    );
    expect(errorOf(() => inClusterConfig(env(join(dir, "empty"))))).toMatch(
      /cannot read the ServiceAccount token .*token \(ENOENT\); expected the ServiceAccount/,
    );
  });
});
