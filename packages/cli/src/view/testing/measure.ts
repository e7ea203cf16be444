import type { Page } from "playwright-core";

/**
 * Timings of a page open in Chromium, measured inside the page with `performance.now()`: how long
 * moving the scrubber to a time takes until the layout is done (every row in view redrawn), and the
 * same for scrolling the rows. Medians of `rounds` moves to seeded positions. For the bench and for
 * the scale test's log; never asserted.
 */
export async function pageTimings(
  page: Page,
  rounds: number,
): Promise<{ scrubMs: number; scrollMs: number }> {
  return page.locator("#rows").evaluate((list, n) => {
    const doc = list.ownerDocument;
    const scrubber = doc.getElementById("scrubber") as unknown as {
      value: string;
      max: string;
      dispatchEvent(e: Event): boolean;
    };
    const end = Number(scrubber.max);
    const scrub: number[] = [];
    const scroll: number[] = [];
    for (let i = 0; i < n; i++) {
      const f = ((i * 7919) % n) / n;
      let t0 = performance.now();
      scrubber.value = String(end * f);
      scrubber.dispatchEvent(new Event("input"));
      void doc.body.offsetHeight; // the layout, done now
      scrub.push(performance.now() - t0);
      t0 = performance.now();
      list.scrollTop = (list.scrollHeight - list.clientHeight) * f;
      list.dispatchEvent(new Event("scroll"));
      void doc.body.offsetHeight;
      scroll.push(performance.now() - t0);
    }
    // No named function in here: tsx (bench) would wrap it in a helper the page does not have.
    scrub.sort((a, b) => a - b);
    scroll.sort((a, b) => a - b);
    return { scrubMs: scrub[Math.floor(n / 2)]!, scrollMs: scroll[Math.floor(n / 2)]! };
  }, rounds);
}
