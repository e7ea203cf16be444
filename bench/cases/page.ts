import { pageScript } from "../../packages/cli/src/view/bundle.js";
import { runPage } from "../../packages/cli/src/view/data.js";
import { html } from "../../packages/cli/src/view/page.js";
import { chromiumPath, howToInstall, launch } from "../../packages/cli/src/view/testing/browser.js";
import { largeRunJsonl } from "../../packages/cli/src/view/testing/large.js";
import { pageTimings } from "../../packages/cli/src/view/testing/measure.js";
import { median } from "../harness.js";
import type { Figure } from "../report.js";

/**
 * The run's page at scale (issue 18): a page of `entities` entities (every kind of the catalog,
 * each walking its machine: packages/cli/src/view/testing/large.ts) built in Node, then opened from
 * disk in Debian's headless Chromium (scripts/browser/chromium.sh) through playwright-core. Reported,
 * not judged (no goal): the page's size, the time to build it, to open it until it is drawn, and,
 * measured inside the page, a scrub (move the time, every row in view redrawn, layout done) and a
 * scroll of the rows. Skipped with a note when Chromium is missing.
 */
export interface PageSize {
  readonly entities: number;
  readonly rounds: number;
}

export async function pageCase(size: PageSize): Promise<Figure[]> {
  if (!chromiumPath) {
    console.error(`bench: page skipped: ${howToInstall}`);
    return [];
  }
  const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const { pathToFileURL } = await import("node:url");
  const jsonl = largeRunJsonl(size.entities);
  const script = await pageScript();
  const builds: number[] = [];
  let text = "";
  for (let r = 0; r < size.rounds; r++) {
    const t0 = performance.now();
    text = html(runPage(jsonl, `${size.entities} entities`), script);
    builds.push(performance.now() - t0);
  }
  const dir = mkdtempSync(join(tmpdir(), "phasekit-bench-page-"));
  const file = join(dir, "page.html");
  writeFileSync(file, text);
  const browser = await launch();
  const loads: number[] = [];
  const scrubs: number[] = [];
  const scrolls: number[] = [];
  try {
    for (let r = 0; r < size.rounds; r++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const t0 = performance.now();
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector("html[data-ready=true]");
      loads.push(performance.now() - t0);
      const t = await pageTimings(page, 21);
      scrubs.push(t.scrubMs);
      scrolls.push(t.scrollMs);
      await page.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const subject = `${size.entities.toLocaleString("en")} entities`;
  const note = `median of ${size.rounds} rounds (scrub and scroll: median of 21 moves in each); Chromium ${chromiumPath}, 1280x800`;
  const figure = (metric: string, value: number, unit: string): Figure => ({
    case: "page",
    subject,
    metric,
    value,
    unit,
    ratio: value,
    ratioUnit: "count",
    ...(metric === "page size" && { note }),
  });
  return [
    figure("page size", Math.round(text.length / 1024), "KiB"),
    figure("build the page in Node", Math.round(median(builds)), "ms"),
    figure("open from disk until drawn", Math.round(median(loads)), "ms"),
    figure("scrub: move the time, rows redrawn", Math.round(median(scrubs) * 10) / 10, "ms"),
    figure("scroll the rows", Math.round(median(scrolls) * 10) / 10, "ms"),
  ];
}
