#!/usr/bin/env node
// Makes a package's CommonJS typings (dist/**/*.d.cts) type-check under `module: node16` with
// `skipLibCheck: false`. tsup writes `import { Effect } from 'effect'` into the .d.cts files, and
// `effect` 4 is ESM only: TypeScript then reports TS1479 (a CommonJS file cannot `require` an ES
// module). At run time Node >= 20.19 can `require()` ES modules, so only the types need help: an
// import of an ESM-only package becomes a type-only import with `resolution-mode: "import"`
// (TypeScript >= 5.3), and a bare `import 'effect/Cause'` (nothing imported) is dropped.
//
// Usage: node scripts/packaging/fix-cts-types.mjs   (in a package directory, after tsup)
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.cwd(), "package.json"));
const esmOnly = new Map();

/** True when the package has no CommonJS entry: `type: module` and no `require` condition. */
function isEsmOnly(specifier) {
  const name = specifier.startsWith("@")
    ? specifier.split("/").slice(0, 2).join("/")
    : specifier.split("/")[0];
  if (!esmOnly.has(name)) {
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8"));
    } catch {
      esmOnly.set(name, false);
      return false;
    }
    const exportsText = JSON.stringify(manifest.exports ?? {});
    esmOnly.set(
      name,
      manifest.type === "module" && !exportsText.includes('"require"') && !exportsText.includes(".cjs"),
    );
  }
  return esmOnly.get(name);
}

const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".d.cts") ? [join(dir, e.name)] : [],
  );

let changed = 0;
for (const file of files("dist")) {
  const before = readFileSync(file, "utf8");
  const after = before
    .replace(/^import '([^'.][^']*)';\n/gm, (line, spec) => (isEsmOnly(spec) ? "" : line))
    .replace(
      /^(import|export) (type )?(\{[^}]*\}|\* as \w+) from '([^'.][^']*)';$/gm,
      (line, kw, _t, what, spec) =>
        isEsmOnly(spec) ? `${kw} type ${what} from '${spec}' with { "resolution-mode": "import" };` : line,
    );
  if (after !== before) {
    writeFileSync(file, after);
    changed++;
  }
}
console.log(
  `fix-cts-types: ${changed} .d.cts file(s) now import ESM-only packages with resolution-mode "import"`,
);
