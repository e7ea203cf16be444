import { createHash } from "node:crypto";
import fc from "fast-check";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { DecodeError } from "../../lifecycle/errors.js";
import {
  buildWallarooPackageZip,
  checkWallarooPackage,
  type WallarooPackageCheck,
  wallarooEntrypoint,
  wallarooZipEntries,
} from "./package.js";

const meta = {
  name: null,
  fileName: "hello.zip",
  createdAt: "2024-07-16T19:01:58Z",
  updatedAt: "2024-07-16T19:03:00Z",
};
const check = (bytes: Uint8Array) => {
  const c = checkWallarooPackage(bytes, meta);
  if (c instanceof DecodeError) throw c;
  return c;
};
const rules = (c: WallarooPackageCheck) => (c.ok ? [] : c.violations.map((v) => v.rule));

/** A ZIP in exactly the entry order given (fflate keeps insertion order for non-numeric names). */
const zipInOrder = (paths: readonly string[]) =>
  zipSync(Object.fromEntries(paths.map((p) => [p, strToU8(`# ${p}\n`)])), { level: 0 });

const segment = fc.constantFrom("a", "b", "src", "x", "B");
const leaf = fc.constantFrom("main.py", "requirements.txt", "util.py", "Main.py", "data.csv");
const path = fc
  .tuple(fc.array(segment, { maxLength: 3 }), leaf, fc.constantFrom("", "", "", "", "../", "/"))
  .map(([dirs, file, prefix]) => prefix + [...dirs, file].join("/"));
const tree = fc.uniqueArray(path, { maxLength: 12 });

const depth = (p: string) => p.split("/").length;
const isUnsafe = (p: string) => p.startsWith("/") || p.split("/").includes("..");

describe("Wallaroo orchestration packages", () => {
  it("the entrypoint is the root main.py, else the shallowest main.py (ties in code-unit order), whatever the entry order", () => {
    fc.assert(
      fc.property(tree, fc.infiniteStream(fc.nat()), (paths, shuffle) => {
        const order = [...paths].sort(() => (shuffle.next().value % 3) - 1);
        const candidates = paths.filter(
          (p) => p.endsWith("main.py") && !p.endsWith("Main.py") && !isUnsafe(p),
        );
        const expected = candidates.includes("main.py")
          ? "main.py"
          : (candidates.sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : 1))[0] ?? null);
        const c = check(zipInOrder(order));
        expect(wallarooEntrypoint(order)).toBe(expected);
        expect(c.ok ? c.package.entrypoint : null).toBe(c.ok ? expected : null);
        if (expected === null) expect(rules(c)).toContain("entrypoint");
      }),
    );
  });

  it("every broken rule is reported, not only the first, and an accepted package breaks none", () => {
    fc.assert(
      fc.property(tree, (paths) => {
        const c = check(zipInOrder(paths));
        const expected = [
          ...(paths.some(isUnsafe) ? ["relative-paths"] : []),
          ...(wallarooEntrypoint(paths) === null ? ["entrypoint"] : []),
          ...(paths.filter((p) => p.endsWith("/requirements.txt") || p === "requirements.txt").length > 1
            ? ["single-requirements"]
            : []),
        ];
        expect(rules(c)).toEqual(expected);
        expect(c.ok).toBe(expected.length === 0);
        if (c.ok) {
          const reqs = paths.filter((p) => p === "requirements.txt" || p.endsWith("/requirements.txt"));
          expect(c.package.requirements).toBe(reqs[0] ?? null);
          expect(c.package.files).toEqual([...paths].sort());
        }
      }),
    );
  });

  it("the sha is the sha256 of the ZIP's bytes", () => {
    fc.assert(
      fc.property(tree, (paths) => {
        const bytes = zipInOrder(paths);
        const c = check(bytes);
        expect(c.ok ? c.package.sha : c.sha).toBe(createHash("sha256").update(bytes).digest("hex"));
      }),
      { numRuns: 50 },
    );
  });

  it("building is deterministic: the same files give the same bytes in any key order and any time zone", () => {
    const files = { "requirements.txt": "pandas==2.2.2\n", "main.py": "print('hello')\n", "lib/x.py": "" };
    const reversed = Object.fromEntries(Object.entries(files).reverse());
    const tz = process.env.TZ;
    try {
      process.env.TZ = "America/New_York";
      const a = buildWallarooPackageZip(files);
      process.env.TZ = "Asia/Kolkata";
      const b = buildWallarooPackageZip(reversed);
      expect(b).toEqual(a);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    expect(wallarooZipEntries(buildWallarooPackageZip(files))).toEqual([
      "lib/x.py",
      "main.py",
      "requirements.txt",
    ]);
  });

  it("the seed's hello.zip (main.py and requirements.txt) is accepted with its name, file name and times", () => {
    const c = check(
      buildWallarooPackageZip({ "main.py": "import wallaroo\n", "requirements.txt": "dbt-core==1.4.5\n" }),
    );
    expect(c).toMatchObject({
      ok: true,
      package: { ...meta, entrypoint: "main.py", requirements: "requirements.txt" },
    });
  });

  it("a package with no main.py and two requirements.txt breaks both rules", () => {
    const c = check(
      buildWallarooPackageZip({ "run.py": "", "requirements.txt": "", "extra/requirements.txt": "" }),
    );
    expect(c.ok).toBe(false);
    if (!c.ok) {
      expect(c.violations.map((v) => v.rule)).toEqual(["entrypoint", "single-requirements"]);
      expect(c.violations[1]!.paths).toEqual(["extra/requirements.txt", "requirements.txt"]);
    }
  });

  it("directory entries are ignored and names are case-sensitive", () => {
    const bytes = zipSync({ "app/": new Uint8Array(0), "app/Main.py": strToU8("") });
    expect(wallarooZipEntries(bytes)).toEqual(["app/", "app/Main.py"]);
    expect(rules(check(bytes))).toEqual(["entrypoint"]);
  });

  it("bytes that are not a ZIP are a DecodeError naming the file and what was expected", () => {
    for (const bytes of [
      new Uint8Array(0),
      strToU8("print('not a zip')"),
      strToU8("PK\u0003\u0004 truncated"),
    ]) {
      const err = checkWallarooPackage(bytes, meta);
      expect(err).toBeInstanceOf(DecodeError);
      expect((err as DecodeError).subject).toBe("hello.zip");
      expect((err as DecodeError).issues[0]).toMatchObject({
        path: "$",
        expected: expect.stringMatching(/^a ZIP archive/),
      });
    }
  });
});
