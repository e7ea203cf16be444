import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseScenario, readWallarooZips, renderJsonl, runScenario } from "@phasekit/adapter-memory";
import { catalog, DecodeError } from "@phasekit/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { histories } from "../commands/view.js";
import { pageScript } from "./bundle.js";
import { runPage, specPage } from "./data.js";
import { html } from "./page.js";
import { chromiumForTests, launch, testOutput } from "./testing/browser.js";
import { largeRunJsonl } from "./testing/large.js";
import { pageTimings } from "./testing/measure.js";

// The page in a real headless Chromium (Debian's, driven by playwright-core): pages made from every
// example open without a console error, show one row per entity, show at any time t the statuses
// `simulate --format jsonl` gives at t, and highlight that state in the diagram.

const examplesDir = new URL("../../../../examples/", import.meta.url).pathname;
const examples = readdirSync(examplesDir).filter((f) => f.endsWith(".yaml"));
const dir = mkdtempSync(join(tmpdir(), "phasekit-page-"));

interface StatusRecord {
  record: "status";
  t: number;
  system: string;
  kind: string;
  id: string;
  status: string;
  reason: string | null;
}

function resultOf(file: string) {
  const scenario = readWallarooZips(
    parseScenario(readFileSync(join(examplesDir, file), "utf8"), file),
    join(examplesDir, file),
    (p) => readFileSync(p),
  );
  if (scenario instanceof DecodeError) throw scenario;
  return runScenario(scenario);
}

const jsonlOf = (file: string) => renderJsonl(resultOf(file));

const statusRecords = (jsonl: string) =>
  jsonl
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { record: string })
    .filter((r): r is StatusRecord => r.record === "status");

/** What jsonl says each entity shows at t: its last status record at or before t ("" before its first). */
function expectedAt(records: readonly StatusRecord[], t: number): Map<string, string> {
  const at = new Map<string, string>();
  for (const r of records) {
    const key = `${r.system}/${r.kind}/${r.id}`;
    if (!at.has(key)) at.set(key, "");
    if (r.t <= t) at.set(key, r.reason === null ? r.status : `${r.status}/${r.reason}`);
  }
  return at;
}

async function open(page: Page, text: string, name: string): Promise<string[]> {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  const file = join(dir, name);
  writeFileSync(file, text);
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector("html[data-ready=true]");
  return errors;
}

/** Every row of the virtualised list, read by scrolling it from top to bottom. */
async function allRows(page: Page): Promise<Map<string, string>> {
  const list = page.locator("#rows");
  const rows = new Map<string, string>();
  // Scrolls to y and runs the list's scroll handler now (it draws the rows in view).
  const scroll = (y: number) =>
    list.evaluate((el, to) => {
      el.scrollTop = to;
      el.dispatchEvent(new Event("scroll"));
      return [el.scrollTop, el.clientHeight, el.scrollHeight] as const;
    }, y);
  let [top, height, total] = await scroll(0);
  for (;;) {
    const seen = await page
      .locator("#rows .row")
      .evaluateAll((els) =>
        els.map((e) => [
          e.getAttribute("data-kind"),
          e.getAttribute("data-id"),
          e.getAttribute("data-status"),
          e.getAttribute("data-reason"),
        ]),
      );
    for (const [kind, id, status, reason] of seen)
      rows.set(`${kind}/${id}`, status ? (reason ? `${status}/${reason}` : status) : "");
    if (top + height >= total - 1) break;
    [top, height, total] = await scroll(top + height);
  }
  await scroll(0);
  return rows;
}

async function scrubTo(page: Page, t: number) {
  await page.locator("#scrubber").fill(String(t));
  await page.locator("#scrubber").dispatchEvent("input");
}

const chromium = chromiumForTests();

describe.skipIf(!chromium)("the page in headless Chromium", () => {
  let browser: Browser;
  let script: string;
  beforeAll(async () => {
    browser = await launch();
    script = await pageScript();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(examples)(
    "%s: no console error, one row per entity, and at each of several times every row shows the status simulate --format jsonl gives then, and the diagram highlights it",
    async (example) => {
      const jsonl = jsonlOf(example);
      const records = statusRecords(jsonl);
      const data = runPage(jsonl, example);
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors = await open(page, html(data, script), example.replace(/\.yaml$/, ".html"));
      const rows = await allRows(page);
      expect(new Set(rows.keys())).toEqual(new Set(records.map((r) => `${r.system}/${r.kind}/${r.id}`)));
      expect(rows.size).toBe(data.entities.length);
      // Times: the first instant, every third instant a record has, one between two, and the end.
      const instants = [...new Set(records.map((r) => r.t))];
      const times = [
        0,
        ...instants.filter((_, i) => i % 3 === 1),
        (instants[0]! + instants[1]!) / 2 || 1,
        data.end,
      ];
      const chosen = data.entities[data.entities.length - 1]!;
      await page.locator("#rows").focus();
      await page.keyboard.press("End");
      await page.keyboard.press("Enter");
      await expect.poll(() => page.locator("#selected").textContent()).toContain(chosen.id);
      for (const t of times) {
        await scrubTo(page, t);
        expect(await allRows(page), `statuses at t=${t}`).toEqual(expectedAt(records, t));
        const want = expectedAt(records, t)
          .get(`${chosen.system}/${chosen.kind}/${chosen.id}`)!
          .split("/")[0]!;
        const current = await page
          .locator(".diagram .node.current")
          .evaluateAll((els) => els.map((e) => e.getAttribute("data-status")));
        expect(current, `diagram at t=${t}`).toEqual(want === "" ? [] : [want]);
      }
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it("keyboard: arrows move through the rows, Enter opens the entity's history; the screenshots are kept (1280x800 and phone width)", async () => {
    const result = resultOf("runai-preemption.yaml");
    const data = runPage(renderJsonl(result), "runai-preemption.yaml", {
      histories: histories(result),
      selected: "b-notebook",
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = await open(page, html(data, script), "keyboard.html");
    expect(await page.locator("#selected").textContent(), "opens on the entity asked for").toContain(
      "b-notebook",
    );
    await page.locator("#rows").focus();
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    const second = data.entities[1]!;
    expect(await page.locator("#selected").textContent()).toContain(second.id);
    // The history is simulate --entity's, line for line.
    const lines = data.histories![`${second.system}/${second.kind}/${second.id}`]!;
    const shown = await page.locator(".history-table tbody tr td:nth-child(2)").allTextContents();
    expect(shown).toEqual(lines.map((l) => l.what));
    await page.keyboard.press("Tab"); // focus leaves the list for the next control
    await scrubTo(page, data.end / 3);
    const out = testOutput("page");
    await page.screenshot({ path: join(out, "run-1280x800.png") });
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.locator("html").evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow, "no sideways scrolling at phone width").toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(out, "run-390x844.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("play moves the time forward and pause stops it", async () => {
    const data = runPage(jsonlOf("quota-wait.yaml"), "quota-wait.yaml");
    const page = await browser.newPage();
    const errors = await open(page, html(data, script), "play.html");
    await page.locator("#speed").selectOption("10");
    await page.locator("#play").click();
    await expect.poll(async () => Number(await page.locator("#scrubber").inputValue())).toBeGreaterThan(0);
    await page.locator("#play").click();
    expect(await page.locator("#play").getAttribute("aria-pressed")).toBe("false");
    const stopped = await page.locator("#scrubber").inputValue();
    await page.waitForTimeout(300);
    expect(await page.locator("#scrubber").inputValue()).toBe(stopped);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("spec page: no console error, one section with a diagram per kind, focusing a status highlights it", async () => {
    const data = specPage(catalog.systems);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = await open(page, html(data, script), "spec.html");
    expect(await page.locator("section.kind").count()).toBe(data.kinds.length);
    expect(await page.locator("section.kind svg.diagram").count()).toBe(data.kinds.length);
    const kind = data.kinds[0]!;
    const status = kind.statuses[1]!.name;
    await page.locator(`#${kind.system}-${kind.kind} tr[data-status="${status}"]`).focus();
    const current = await page
      .locator(`#${kind.system}-${kind.kind} .node.current`)
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-status")));
    expect(current).toEqual([status]);
    await page.screenshot({ path: join(testOutput("page"), "spec-1280x800.png") });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("10,000 entities: the page loads, keeps only the rows in view in the DOM, and every row shows the jsonl's status after a scrub (timings logged, not asserted)", async () => {
    const jsonl = largeRunJsonl(10_000);
    const records = statusRecords(jsonl);
    const data = runPage(jsonl, "10,000 entities");
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const t0 = performance.now();
    const errors = await open(page, html(data, script), "large.html");
    const loadMs = performance.now() - t0;
    expect(await page.locator("#rows").getAttribute("aria-label")).toContain("Entities (10000)");
    expect(await page.locator("#rows .row").count()).toBeLessThan(100);
    const t = data.end / 2;
    await scrubTo(page, t);
    expect(await allRows(page)).toEqual(expectedAt(records, t));
    const timings = await pageTimings(page, 15);
    console.log(
      `page with 10,000 entities: load ${loadMs.toFixed(0)} ms, scrub ${timings.scrubMs.toFixed(1)} ms, scroll ${timings.scrollMs.toFixed(1)} ms (median of 15)`,
    );
    await page.screenshot({ path: join(testOutput("page"), "large-1280x800.png") });
    expect(errors).toEqual([]);
    await page.close();
  });
});
