import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildWallarooPackageZip, wallarooSha256 } from "@phasekit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWallarooExamples } from "../../../../scripts/build-wallaroo-examples.js";
import type { Io } from "../io.js";
import { run } from "../main.js";

/** Runs the CLI in-process and captures what it prints. */
async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), interactive: false };
  const code = await run(argv, io);
  return { code, out, err };
}

let dir: string;
let zips: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "phasekit-check-package-"));
  zips = buildWallarooExamples(undefined, join(dir, "dist"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("phasekit check-package, on the examples built from examples/wallaroo/", () => {
  it("builds every example package, the same bytes every time", () => {
    expect(Object.keys(zips)).toEqual(["hello", "nested", "no-main", "two-requirements"]);
    const again = buildWallarooExamples(undefined, join(dir, "again"));
    for (const [name, file] of Object.entries(zips))
      expect(readFileSync(again[name]!)).toEqual(readFileSync(file));
  });

  it("accepts hello: main.py at the root, its requirements file and its sha", async () => {
    const { code, out, err } = await cli("check-package", zips.hello!);
    expect([code, err]).toEqual([0, ""]);
    expect(out).toMatch(
      /^hello\.zip: accepted\n {2}entrypoint: {3}main\.py\n {2}requirements: requirements\.txt\n/,
    );
    expect(out).toContain(`sha256:       ${wallarooSha256(readFileSync(zips.hello!))}`);
  });

  it("accepts nested with the shallowest main.py as its entrypoint", async () => {
    const { code, out } = await cli("check-package", zips.nested!);
    expect(code).toBe(0);
    expect(out).toContain("entrypoint:   b/main.py");
  });

  it("rejects no-main (no entrypoint) and two-requirements (two requirements.txt) with exit 1", async () => {
    const noMain = await cli("check-package", zips["no-main"]!);
    expect(noMain.code).toBe(1);
    expect(noMain.out).toMatch(/no-main\.zip: rejected, 1 rule broken\n {2}- entrypoint: no main\.py/);
    const two = await cli("check-package", zips["two-requirements"]!);
    expect(two.code).toBe(1);
    expect(two.out).toContain(
      "- single-requirements: 2 requirements.txt files (extras/requirements.txt, requirements.txt)",
    );
  });

  it("prints every broken rule of a package that breaks several", async () => {
    const file = join(dir, "both.zip");
    writeFileSync(
      file,
      buildWallarooPackageZip({ "run.py": "", "requirements.txt": "", "x/requirements.txt": "" }),
    );
    const { code, out } = await cli("check-package", file, "--format", "json");
    expect(code).toBe(1);
    const json = JSON.parse(out);
    expect(json.ok).toBe(false);
    expect(json.violations.map((v: { rule: string }) => v.rule)).toEqual([
      "entrypoint",
      "single-requirements",
    ]);
  });

  it("--format json of an accepted package carries the entrypoint, requirements and sha", async () => {
    const { code, out } = await cli("check-package", zips.hello!, "--format", "json");
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      file: "hello.zip",
      ok: true,
      package: {
        entrypoint: "main.py",
        requirements: "requirements.txt",
        sha: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
  });

  it("a file that is not a ZIP exits 2 with a clear message and no stack trace", async () => {
    const file = join(dir, "main.py");
    writeFileSync(file, "print('I am not a zip')\n");
    const { code, out, err } = await cli("check-package", file);
    expect([code, out]).toEqual([2, ""]);
    expect(err).toMatch(
      /main\.py: 1 problem\n {2}\$: got "24 bytes starting 70 72 69 6e", expected a ZIP archive/,
    );
    expect(err).not.toContain("    at ");
  });

  it("a missing file, a directory, no file or a bad --format exit 2", async () => {
    expect(await cli("check-package", join(dir, "nope.zip"))).toMatchObject({
      code: 2,
      err: expect.stringContaining("no such file"),
    });
    expect(await cli("check-package", dir)).toMatchObject({
      code: 2,
      err: expect.stringContaining("not a file"),
    });
    expect(await cli("check-package")).toMatchObject({
      code: 2,
      err: expect.stringContaining("expected one package file, got 0"),
    });
    expect(await cli("check-package", zips.hello!, "--format", "yaml")).toMatchObject({ code: 2 });
  });
});
