// Builds examples/wallaroo/<name>/ into examples/wallaroo/dist/<name>.zip, deterministically (entries
// sorted, fixed mtimes, fixed deflate level: see buildWallarooPackageZip). The ZIPs are git-ignored;
// only their sources are committed. Run:
//   pnpm exec tsx --conditions=@phasekit/source scripts/build-wallaroo-examples.ts [--out DIR]
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildWallarooPackageZip } from "@phasekit/core";

/** Where the example sources live. */
export const wallarooExamplesDir = fileURLToPath(new URL("../examples/wallaroo/", import.meta.url));

/** Files and folders never packed: editor and Python leftovers. */
const skipped = (name: string) => name.startsWith(".") || name === "__pycache__";

/** Every file under `dir`, by its path relative to `dir` with `/` separators. */
export function readExampleFiles(dir: string): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (skipped(entry.name)) continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files[relative(dir, path).split(sep).join("/")] = readFileSync(path);
    }
  };
  walk(dir);
  return files;
}

/** The example packages: every folder of `from` but `dist`. */
export function wallarooExampleNames(from = wallarooExamplesDir): string[] {
  return readdirSync(from, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== "dist" && !skipped(e.name))
    .map((e) => e.name)
    .sort();
}

/** Builds every example into `to/<name>.zip` and returns the written paths by name. */
export function buildWallarooExamples(
  from = wallarooExamplesDir,
  to = join(from, "dist"),
): Record<string, string> {
  mkdirSync(to, { recursive: true });
  const written: Record<string, string> = {};
  for (const name of wallarooExampleNames(from)) {
    const file = join(to, `${name}.zip`);
    writeFileSync(file, buildWallarooPackageZip(readExampleFiles(join(from, name))));
    written[name] = file;
  }
  return written;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outFlag = process.argv.indexOf("--out");
  const out = outFlag >= 0 ? process.argv[outFlag + 1] : undefined;
  for (const [name, file] of Object.entries(buildWallarooExamples(wallarooExamplesDir, out)))
    console.log(`${name}: ${relative(process.cwd(), file)}`);
}
