import { readFileSync } from "node:fs";
import { buildSync } from "esbuild";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

// The page's browser script (src/view/client), bundled into one minified IIFE and inlined into the
// CLI, so `phasekit view` and `spec --format html` write a page with no file beside it. The same
// options as src/view/bundle.ts uses from the sources.
const page = buildSync({
  entryPoints: ["src/view/client/main.ts"],
  bundle: true,
  format: "iife",
  target: "es2022",
  minify: true,
  write: false,
  legalComments: "none",
}).outputFiles[0]!.text;

export default defineConfig({
  entry: { index: "src/index.ts", bin: "src/bin.ts" },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts" } },
  sourcemap: true,
  clean: true,
  define: { __PHASEKIT_VERSION__: JSON.stringify(version), __PHASEKIT_PAGE_SCRIPT__: JSON.stringify(page) },
  shims: true, // import.meta.url in the CommonJS build (version.ts reads package.json from source only)
});
