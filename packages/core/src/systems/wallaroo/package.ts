import { strToU8, unzipSync, Zip, ZipDeflate } from "fflate";
import { DecodeError } from "../../lifecycle/errors.js";
import { sha256Hex } from "./sha256.js";

/**
 * The rules an orchestration ZIP must follow (seed, "Orchestration Requirements"), checked over the
 * ZIP's bytes: no file system, no clock. The ZIP is read with fflate (pure JavaScript, synchronous,
 * maintained, no dependencies); only the central directory is read, no entry is decompressed, so a
 * huge or hostile archive costs nothing to check.
 *
 * - Entrypoint: `main.py` at the root; else the first `main.py` in a subdirectory, where "first"
 *   is the shallowest path, and among equally deep ones the smallest in code-unit order
 *   (`a/main.py` before `b/main.py` before `a/x/main.py`); else the package is rejected.
 * - At most one `requirements.txt`, anywhere in the tree.
 * - Entry paths stay inside the package (no absolute path, no `..` segment).
 */

/** One rule a package breaks, with the entries involved. */
export interface WallarooPackageViolation {
  readonly rule: "entrypoint" | "single-requirements" | "relative-paths";
  readonly paths: readonly string[];
  readonly message: string;
}

/** What the caller knows about the upload, passed in as data. */
export interface WallarooPackageMeta {
  /** The orchestration's name, or null (the SDK shows `None`). */
  readonly name: string | null;
  /** The uploaded file's name, or null for bytes uploaded without one (shown as `-`). */
  readonly fileName: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** An accepted package. */
export interface WallarooPackage extends WallarooPackageMeta {
  /** sha256 of the ZIP's bytes, lower-case hex. */
  readonly sha: string;
  readonly entrypoint: string;
  readonly requirements: string | null;
  /** Every file entry (directories left out), sorted. */
  readonly files: readonly string[];
}

/** The outcome of {@link checkWallarooPackage} for bytes that are a ZIP. */
export type WallarooPackageCheck =
  | { readonly ok: true; readonly package: WallarooPackage }
  | {
      readonly ok: false;
      readonly sha: string;
      readonly files: readonly string[];
      readonly violations: readonly WallarooPackageViolation[];
    };

const basename = (path: string) => path.slice(path.lastIndexOf("/") + 1);
const depth = (path: string) => path.split("/").length;
const codeUnitOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const unsafe = (path: string) =>
  path.startsWith("/") || /^[A-Za-z]:/.test(path) || path.split("/").includes("..");

/**
 * sha256 of bytes, lower-case hex: the orchestration's "File Hash".
 *
 * @example
 * ```ts
 * wallarooSha256(new TextEncoder().encode("abc")); // "ba7816bf...f20015ad"
 * ```
 */
export const wallarooSha256 = (bytes: Uint8Array): string => sha256Hex(bytes);

/**
 * The entry names of a ZIP, in archive order, from its central directory. Returns a
 * {@link DecodeError} when the bytes are not a ZIP.
 *
 * @example
 * ```ts
 * wallarooZipEntries(buildWallarooPackageZip({ "main.py": "" })); // ["main.py"]
 * ```
 */
export function wallarooZipEntries(bytes: Uint8Array, subject = "package"): string[] | DecodeError {
  const names: string[] = [];
  try {
    unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        return false;
      },
    });
  } catch (error) {
    const head = [...bytes.slice(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    return new DecodeError(subject, [
      {
        path: "$",
        value: `${bytes.length} bytes${bytes.length > 0 ? ` starting ${head}` : ""}`,
        expected: `a ZIP archive (${error instanceof Error ? error.message : String(error)})`,
      },
    ]);
  }
  return names;
}

/**
 * The entrypoint rule alone: `main.py` at the root, else the shallowest `main.py` in a
 * subdirectory (ties: code-unit order of the path), else null.
 *
 * @example
 * ```ts
 * wallarooEntrypoint(["b/main.py", "a/x/main.py", "a/util.py"]); // "b/main.py"
 * ```
 */
export function wallarooEntrypoint(files: readonly string[]): string | null {
  const candidates = files.filter((f) => basename(f) === "main.py" && !unsafe(f));
  if (candidates.includes("main.py")) return "main.py";
  return [...candidates].sort((a, b) => depth(a) - depth(b) || codeUnitOrder(a, b))[0] ?? null;
}

/**
 * Checks an orchestration ZIP against every rule and returns every rule it breaks, not only the
 * first; or the accepted package with its entrypoint, requirements file and sha256. Bytes that are
 * not a ZIP give a {@link DecodeError}.
 *
 * @example
 * ```ts
 * const zip = buildWallarooPackageZip({ "main.py": "print('hi')", "requirements.txt": "pandas==2.2.2\n" });
 * const check = checkWallarooPackage(zip, { name: null, fileName: "hello.zip", createdAt: t, updatedAt: t });
 * if (!(check instanceof DecodeError) && check.ok) check.package.entrypoint; // "main.py"
 * ```
 */
export function checkWallarooPackage(
  bytes: Uint8Array,
  meta: WallarooPackageMeta,
): WallarooPackageCheck | DecodeError {
  const entries = wallarooZipEntries(bytes, meta.fileName ?? "package");
  if (entries instanceof DecodeError) return entries;
  const files = entries.filter((e) => !e.endsWith("/")).sort(codeUnitOrder);
  const sha = wallarooSha256(bytes);
  const violations: WallarooPackageViolation[] = [];
  const outside = files.filter(unsafe);
  if (outside.length > 0) {
    violations.push({
      rule: "relative-paths",
      paths: outside,
      message: `entries must stay inside the package (no absolute path, no ".."): ${outside.join(", ")}`,
    });
  }
  const entrypoint = wallarooEntrypoint(files);
  if (entrypoint === null) {
    violations.push({
      rule: "entrypoint",
      paths: [],
      message: "no main.py at the root or in any subdirectory: the orchestration has no entrypoint",
    });
  }
  const requirements = files.filter((f) => basename(f) === "requirements.txt");
  if (requirements.length > 1) {
    violations.push({
      rule: "single-requirements",
      paths: requirements,
      message: `${requirements.length} requirements.txt files (${requirements.join(", ")}); at most one is allowed`,
    });
  }
  if (violations.length > 0 || entrypoint === null) return { ok: false, sha, files, violations };
  return {
    ok: true,
    package: { ...meta, sha, entrypoint, requirements: requirements[0] ?? null, files },
  };
}

/**
 * A DOS time of 1980-01-01 00:00. fflate writes a Date's local fields, so the Date is built from
 * local fields at each call: the same bytes in every time zone.
 */
const fixedMtime = () => new Date(1980, 0, 1, 0, 0, 0);

/**
 * Builds a ZIP deterministically from in-memory files: entries in code-unit order of their paths,
 * every mtime 1980-01-01 00:00, deflate level 6. The same files always give the same bytes (and
 * sha256). fflate's `Zip` runs synchronously when fed whole buffers.
 *
 * @example
 * ```ts
 * const zip = buildWallarooPackageZip({ "main.py": "print('hi')" });
 * ```
 */
export function buildWallarooPackageZip(files: Readonly<Record<string, Uint8Array | string>>): Uint8Array {
  const chunks: Uint8Array[] = [];
  const mtime = fixedMtime();
  const zip = new Zip((error, data) => {
    if (error) throw error;
    chunks.push(data);
  });
  for (const path of Object.keys(files).sort(codeUnitOrder)) {
    const content = files[path]!;
    const entry = new ZipDeflate(path, { level: 6 });
    entry.mtime = mtime;
    zip.add(entry);
    entry.push(typeof content === "string" ? strToU8(content) : content, true);
  }
  zip.end();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
