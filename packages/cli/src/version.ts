import { readFileSync } from "node:fs";

/** Set by tsup at build time from package.json; absent when running from source (tests). */
declare const __PHASEKIT_VERSION__: string | undefined;

/** The version of @phasekit/cli, as `phasekit --version` prints it. */
export function cliVersion(): string {
  if (typeof __PHASEKIT_VERSION__ === "string") return __PHASEKIT_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
