import { readFileSync } from "node:fs";

/** The page's browser script, minified: set by tsup at build time; absent when running from source. */
declare const __PHASEKIT_PAGE_SCRIPT__: string | undefined;

/** Where the browser script's entry is, relative to this module in the sources. */
export const clientEntry = new URL("./client/main.ts", import.meta.url);

let cached: string | undefined;

/**
 * The page's script (an IIFE, every import bundled): the one tsup inlined into the built CLI, or,
 * from the sources (tests, tsx), bundled now with esbuild, the same way the build does it.
 *
 * @example
 * ```ts
 * const js = await pageScript(); // "(()=>{...})();"
 * ```
 */
export async function pageScript(): Promise<string> {
  if (typeof __PHASEKIT_PAGE_SCRIPT__ === "string") return __PHASEKIT_PAGE_SCRIPT__;
  if (cached !== undefined) return cached;
  // Only from the sources: esbuild is a devDependency of the workspace, never loaded by the built CLI.
  const esbuild = await import("esbuild");
  readFileSync(clientEntry); // a clear ENOENT when the sources are not there
  const result = await esbuild.build(bundleOptions(clientEntry.pathname));
  cached = result.outputFiles[0]!.text;
  return cached;
}

/**
 * The esbuild options of the page's script: one IIFE for browsers of 2023 on, minified, no source
 * map (the page must open from disk alone). Shared by tsup's config and {@link pageScript}.
 */
export function bundleOptions(entry: string) {
  return {
    entryPoints: [entry],
    bundle: true,
    format: "iife" as const,
    target: "es2022",
    minify: true,
    write: false as const,
    legalComments: "none" as const,
    logLevel: "silent" as const,
  };
}
