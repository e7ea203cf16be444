#!/usr/bin/env node
// The consumer test: what a user gets from the registry, tried as a user would.
//
// 1. `pnpm pack` every publishable package (workspace: ranges and publishConfig applied, as
//    `pnpm publish` / `changeset publish` would) and check each tarball's manifest and files.
// 2. `npm publish --dry-run` of each tarball.
// 3. Twice, into a fresh project with npm from the registry: once with the LOWEST versions our
//    dependency ranges allow (pinned as the project's own dependencies), once with the NEWEST (npm's
//    choice, peers auto-installed). Each time: one copy of effect, zod and xstate; ESM import and run;
//    CommonJS require and run; the CJS and ESM builds side by side (`DecodeError.is` across them);
//    TypeScript with module node16 (ESM and CommonJS files) and with moduleResolution bundler, both
//    with skipLibCheck false; an esbuild --platform=browser bundle of core; the CLI's bin.
//
// Usage: node scripts/consumer/run.mjs [--only lowest|newest] [--keep]
// Needs the packages built (`pnpm build`). npm's cache lives in ~/.cache/phasekit/npm.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const fixture = join(root, "scripts/consumer/fixture");
const packages = [
  "core",
  "adapter-memory",
  "adapter-kafka",
  "adapter-k8s",
  "adapter-etcd",
  "adapter-postgres",
  "runtime",
  "cli",
];
// Third-party packages the ranges of which the two installs exercise, and that must be one copy.
const single = ["effect", "zod", "xstate"];
const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
const keep = args.includes("--keep");
const cache = join(homedir(), ".cache/phasekit/npm");
const work = mkdtempSync(join(tmpdir(), "phasekit-consumer-"));
const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

let current = "setup";
const fail = (message) => {
  console.error(`\nconsumer test FAILED at "${current}": ${message}\n(kept for a look: ${work})`);
  process.exit(1);
};
const sh = (cmd, argv, opts = {}) => {
  try {
    return execFileSync(cmd, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts });
  } catch (e) {
    fail(`${cmd} ${argv.join(" ")}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
};
const step = (name, fn) => {
  current = name;
  const t0 = performance.now();
  fn();
  console.log(`  ok  ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
};
const npm = (cwd, argv) =>
  sh("npm", [...argv, "--cache", cache, "--no-audit", "--no-fund", "--loglevel=error"], { cwd });

// ---- 1. pack
const tarballs = join(work, "tarballs");
const manifests = {};
console.log(`consumer test in ${work}`);
step("pnpm pack every publishable package", () => {
  for (const p of packages) {
    const dir = join(root, "packages", p);
    if (!existsSync(join(dir, "dist"))) fail(`packages/${p}/dist is missing: run pnpm build first`);
    sh("pnpm", ["pack", "--pack-destination", tarballs], { cwd: dir });
  }
});
const tarballOf = {};
step("check each tarball's manifest and files", () => {
  for (const file of readdirSync(tarballs)) {
    const listing = sh("tar", ["-tzf", join(tarballs, file)])
      .split("\n")
      .filter(Boolean);
    const manifestText = sh("tar", ["-xzOf", join(tarballs, file), "package/package.json"]);
    const m = JSON.parse(manifestText);
    manifests[m.name] = m;
    tarballOf[m.name] = join(tarballs, file);
    const where = `${m.name} (${file})`;
    if (manifestText.includes("workspace:")) fail(`${where}: a workspace: range reached the manifest`);
    // publishConfig.exports replaces exports in the tarball: it must be the workspace's map minus
    // the source condition, or a subpath added to one and not the other silently goes missing.
    const workspace = JSON.parse(
      readFileSync(join(root, "packages", m.name.replace("@phasekit/", ""), "package.json"), "utf8"),
    );
    const strip = (x) =>
      typeof x === "string"
        ? x
        : Object.fromEntries(
            Object.entries(x)
              .filter(([k]) => k !== "@phasekit/source")
              .map(([k, v]) => [k, strip(v)]),
          );
    if (JSON.stringify(m.exports) !== JSON.stringify(strip(workspace.exports)))
      fail(
        `${where}: publishConfig.exports is not exports without @phasekit/source; keep the two maps in step`,
      );
    if (JSON.stringify(m.exports).includes("@phasekit/source"))
      fail(`${where}: the @phasekit/source condition reached the manifest`);
    if (!listing.includes("package/LICENSE")) fail(`${where}: no LICENSE in the tarball`);
    if (!listing.includes("package/README.md")) fail(`${where}: no README.md in the tarball`);
    for (const field of ["repository", "homepage", "bugs", "keywords", "engines", "license"])
      if (!m[field]) fail(`${where}: no "${field}"`);
    if (m.publishConfig?.access !== "public" || m.publishConfig?.provenance !== true)
      fail(`${where}: publishConfig must say access public and provenance true`);
    const leaves = (x) => (typeof x === "string" ? [x] : Object.values(x).flatMap(leaves));
    for (const t of [...leaves(m.exports), m.main, m.types, ...Object.values(m.bin ?? {})]) {
      const path = `package/${t.replace(/^\.\//, "")}`;
      if (!listing.includes(path))
        fail(`${where}: exports/main/types point at ${path}, which the tarball lacks`);
    }
    for (const [dep, range] of Object.entries({ ...m.dependencies, ...m.peerDependencies }))
      if (!/^\^\d+\.\d+\.\d+$/.test(range)) fail(`${where}: ${dep}@${range} is not a caret range`);
  }
  const missing = packages.map((p) => `@phasekit/${p}`).filter((n) => !manifests[n]);
  if (missing.length > 0) fail(`no tarball for ${missing.join(", ")}`);
});

// ---- 2. npm publish --dry-run (provenance needs a CI's OIDC token; the dry run checks the rest)
step("npm publish --dry-run of each tarball", () => {
  for (const [name, tgz] of Object.entries(tarballOf)) {
    const out = sh("npm", ["publish", "--dry-run", "--provenance=false", "--cache", cache, tgz], {
      cwd: work,
    });
    if (!/\+ @phasekit\//.test(out) && !out.includes(name))
      fail(`npm publish --dry-run ${name} printed:\n${out}`);
  }
});

// ---- 3. install and try, at both ends of the ranges
/** Every third-party range our manifests declare, by package name. */
const ranges = {};
for (const m of Object.values(manifests))
  for (const [dep, range] of Object.entries({ ...m.dependencies, ...m.peerDependencies }))
    if (!dep.startsWith("@phasekit/") && !(m.peerDependenciesMeta?.[dep]?.optional === true)) {
      if (ranges[dep] && ranges[dep] !== range) fail(`${dep} has two ranges: ${ranges[dep]} and ${range}`);
      ranges[dep] = range;
    }
const lowest = Object.fromEntries(Object.entries(ranges).map(([dep, range]) => [dep, range.slice(1)]));
const newest = (dep) => {
  const out = JSON.parse(npm(work, ["view", `${dep}@${ranges[dep]}`, "version", "--json"]));
  return Array.isArray(out) ? out[out.length - 1] : out;
};

/** The versions of a package installed anywhere under node_modules. */
function installed(dir, name, found = []) {
  const nm = join(dir, "node_modules");
  if (!existsSync(nm)) return found;
  const manifest = join(nm, name, "package.json");
  if (existsSync(manifest))
    found.push(`${JSON.parse(readFileSync(manifest, "utf8")).version} at ${join(nm, name)}`);
  for (const entry of readdirSync(nm)) {
    if (entry.startsWith(".")) continue;
    const scoped = entry.startsWith("@") ? readdirSync(join(nm, entry)).map((s) => join(entry, s)) : [entry];
    for (const pkg of scoped) installed(join(nm, pkg), name, found);
  }
  return found;
}

function tryAs(mode) {
  console.log(`\n${mode}:`);
  const dir = join(work, mode);
  mkdirSync(dir);
  cpSync(fixture, dir, { recursive: true });
  const expected = {};
  const dependencies = Object.fromEntries(
    packages.map((p) => [`@phasekit/${p}`, `file:${tarballOf[`@phasekit/${p}`]}`]),
  );
  if (mode === "lowest") Object.assign(dependencies, lowest);
  step(`resolve the ${mode} versions`, () => {
    for (const dep of single) expected[dep] = mode === "lowest" ? lowest[dep] : newest(dep);
  });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify(
      {
        name: `phasekit-consumer-${mode}`,
        private: true,
        dependencies,
        devDependencies: {
          typescript: rootManifest.devDependencies.typescript,
          esbuild: rootManifest.devDependencies.esbuild,
          "@types/node": rootManifest.devDependencies["@types/node"],
        },
      },
      null,
      2,
    ),
  );
  // An .npmrc of its own, so the workspace's pnpm settings do not leak in.
  writeFileSync(join(dir, ".npmrc"), "");
  step("npm install the tarballs from a fresh project", () => npm(dir, ["install"]));
  step(`one copy each of ${single.join(", ")}, at the ${mode} version`, () => {
    for (const dep of single) {
      const copies = installed(dir, dep);
      if (copies.length !== 1) fail(`${dep}: ${copies.length} copies:\n  ${copies.join("\n  ")}`);
      if (!copies[0].startsWith(`${expected[dep]} `))
        fail(`${dep}: expected ${expected[dep]}, got ${copies[0]}`);
    }
    console.log(`      ${single.map((d) => `${d}@${expected[d]}`).join(", ")}`);
  });
  step("ESM: import and run", () => sh("node", ["esm.mjs"], { cwd: dir }));
  step("CommonJS: require and run", () => sh("node", ["cjs.cjs"], { cwd: dir }));
  step("CJS and ESM builds side by side: DecodeError.is / TransitionError.is", () =>
    sh("node", ["cross.mjs"], { cwd: dir }),
  );
  step("tsc: module node16, ESM and CommonJS files, skipLibCheck false", () =>
    sh("node", ["node_modules/typescript/bin/tsc", "-p", "tsconfig.node16.json"], { cwd: dir }),
  );
  step("tsc: moduleResolution bundler, skipLibCheck false", () =>
    sh("node", ["node_modules/typescript/bin/tsc", "-p", "tsconfig.bundler.json"], { cwd: dir }),
  );
  step("esbuild --platform=browser bundle of core", () =>
    sh(
      join(dir, "node_modules/.bin/esbuild"),
      [
        "browser.js",
        "--bundle",
        "--platform=browser",
        "--format=esm",
        "--minify",
        "--outfile=browser.bundle.js",
        "--log-level=error",
      ],
      { cwd: dir },
    ),
  );
  step("the CLI's bin: phasekit spec", () => {
    const out = sh("node", ["node_modules/.bin/phasekit", "spec", "--system", "dyff", "--format", "json"], {
      cwd: dir,
    });
    if (!out.includes("Evaluation")) fail(`phasekit spec printed:\n${out.slice(0, 400)}`);
  });
  // The page's script is inlined at build time: the tarball has no sources to bundle it from.
  step("the CLI's bin: phasekit spec --format html, its script inlined", () => {
    const out = sh("node", ["node_modules/.bin/phasekit", "spec", "--system", "ray", "--format", "html"], {
      cwd: dir,
    });
    if (!out.startsWith("<!doctype html>") || !out.includes('getElementById("phasekit-data")'))
      fail(`phasekit spec --format html printed:\n${out.slice(0, 400)}`);
  });
}

const t0 = performance.now();
for (const mode of ["lowest", "newest"]) if (only === null || only === mode) tryAs(mode);
console.log(`\nconsumer test passed in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
if (!keep) rmSync(work, { recursive: true, force: true });
