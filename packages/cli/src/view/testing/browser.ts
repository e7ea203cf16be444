import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";

/**
 * Headless Chromium for the page's tests: Debian's package, installed by scripts/browser/chromium.sh
 * (./test runs it through scripts/services.sh), driven by playwright-core. No test tool downloads a
 * browser. Under CI=true a missing browser fails the tests ({@link chromiumForTests}); elsewhere they
 * are skipped with how to install it.
 *
 * @module
 */

const root = fileURLToPath(new URL("../../../../../", import.meta.url));

/** PHASEKIT_CHROMIUM, else where scripts/browser/chromium.sh puts it (without installing). */
function findChromium(): string | undefined {
  const fromEnv = process.env.PHASEKIT_CHROMIUM;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const path = execFileSync(join(root, "scripts/browser/chromium.sh"), ["--path"], {
    encoding: "utf8",
  }).trim();
  return existsSync(path) ? path : undefined;
}

export const chromiumPath = findChromium();
export const howToInstall =
  "headless Chromium is missing: run scripts/browser/chromium.sh as root (Debian: apt-get install -y chromium; ./test does it) or set PHASEKIT_CHROMIUM to a Chromium binary";

/**
 * For a test file: the Chromium binary, or undefined (then the caller skips) after saying how to
 * install it; under CI=true a missing browser throws, so the run fails rather than skips.
 */
export function chromiumForTests(): string | undefined {
  if (!chromiumPath && process.env.CI === "true") throw new Error(`CI=true: ${howToInstall}`);
  if (!chromiumPath) console.warn(`skipping the page's browser tests: ${howToInstall}`);
  return chromiumPath;
}

/**
 * Where tests keep what a reader of a CI run wants to see (screenshots): PHASEKIT_TEST_OUTPUT, else
 * `test-output/` at the repository's root (ignored by git; CI keeps it as an artifact).
 */
export function testOutput(...parts: string[]): string {
  const dir = join(process.env.PHASEKIT_TEST_OUTPUT ?? join(root, "test-output"), ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Starts Chromium the way this machine knows to work: headless, no sandbox (root), no GPU, none of
 * Chromium's own background connections (the network is closed), and a fresh empty profile
 * (playwright-core makes one per launch and removes it on close).
 */
export async function launch(): Promise<Browser> {
  if (!chromiumPath) throw new Error(howToInstall);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
