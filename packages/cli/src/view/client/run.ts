import { type Diagram, diagram } from "./diagram.js";
import { cls, fmt, h } from "./dom.js";
import type { HistoryLine, PhaseView, RunPage } from "./model.js";
import { changeAt, statusText, timeline } from "./timeline.js";

/** The legend: every phase with its swatch (colour and pattern) and its name, never colour alone. */
export function legend(phases: readonly PhaseView[]): HTMLElement {
  return h(
    "ul",
    { class: "legend", "aria-label": "Phases" },
    ...phases.map((p) =>
      h(
        "li",
        { title: p.description },
        h("span", { class: `swatch ph-${cls(p.name)}`, "aria-hidden": "true" }),
        p.name,
        p.terminal ? h("span", { class: "sr" }, " (terminal)") : null,
      ),
    ),
  );
}

/** The history of one entity: part 3's lines when the run carries them, else its rows and markers. */
function historyOf(page: RunPage, index: number): HistoryLine[] {
  const e = page.entities[index]!;
  const given = page.histories?.[`${e.system}/${e.kind}/${e.id}`];
  if (given) return [...given];
  const lines: (HistoryLine & { order: number })[] = e.changes.map((c, i) => ({
    t: c[0],
    what: `${i === 0 ? "created as" : "status"} ${statusText(c)}`,
    cause: "",
    order: 1,
  }));
  for (const m of page.markers)
    if (m.id === e.id) lines.push({ t: m.t, what: m.text, cause: m.type, order: 0 });
  return lines
    .sort((a, b) => a.t - b.t || a.order - b.order)
    .map(({ t, what, cause }) => ({ t, what, cause }));
}

/** The run's page: verdicts, controls, legend, timeline, and the selected entity's diagram and history. */
export function runPage(page: RunPage, root: HTMLElement): void {
  const broken = page.verdicts.filter((v) => !v.held).length;
  const list = h(
    "ul",
    {},
    ...page.verdicts.map((v) =>
      h(
        "li",
        { class: v.held ? "held" : "broken" },
        h("span", { class: "mark-icon" }, v.held ? "✓ held: " : "✗ broke: "),
        v.name,
        v.detail ? h("span", { class: "detail" }, ` — ${v.detail}`) : null,
      ),
    ),
  );
  // Open when one broke: what broke is the first thing a reader needs.
  const verdicts = h(
    "details",
    { class: `verdicts ${page.held ? "held" : "broken"}`, open: !page.held, id: "verdicts" },
    h(
      "summary",
      {},
      h(
        "h2",
        {},
        page.held
          ? `✓ Every invariant held (${page.verdicts.length})`
          : `✗ ${broken} of ${page.verdicts.length} invariants broke`,
      ),
    ),
    list,
  );
  const scrubber = h("input", {
    type: "range",
    id: "scrubber",
    min: 0,
    max: page.end,
    step: "any",
    value: 0,
    "aria-label": "Simulated time (seconds)",
  });
  const clock = h("output", { id: "clock", for: "scrubber", "aria-live": "off" }, fmt(0));
  const play = h("button", { type: "button", id: "play", "aria-pressed": "false" }, "▶ Play");
  const speed = h(
    "select",
    { id: "speed", "aria-label": "Playback speed" },
    ...[10, 30, 60].map((sec) => h("option", { value: sec, selected: sec === 30 }, `whole run in ${sec}s`)),
  );
  const controls = h(
    "section",
    { class: "controls", "aria-label": "Time" },
    play,
    h("label", { for: "scrubber", class: "sr" }, "Simulated time"),
    scrubber,
    clock,
    h("span", { class: "end" }, `/ ${fmt(page.end)}`),
    speed,
  );
  const title = h("h2", { id: "selected" });
  const diagramBox = h("div", { class: "diagram-box" });
  const history = h("div", { class: "history" });
  const detail = h("aside", { class: "detail", "aria-labelledby": "selected" }, title, diagramBox, history);
  const diagrams = new Map<string, Diagram>();
  let selected = -1;
  let now = 0;
  const highlight = () => {
    if (selected < 0) return;
    const e = page.entities[selected]!;
    const d = diagrams.get(`${e.system}/${e.kind}`);
    const i = changeAt(e.changes, now);
    d?.highlight(i < 0 ? null : e.changes[i]![1]);
  };
  const select = (index: number) => {
    selected = index;
    const e = page.entities[index]!;
    const key = `${e.system}/${e.kind}`;
    title.textContent = `${e.id} — ${e.system}/${e.kind}`;
    let d = diagrams.get(key);
    if (!d) {
      const kind = page.kinds.find((k) => `${k.system}/${k.kind}` === key);
      if (kind) diagrams.set(key, (d = diagram(kind)));
    }
    diagramBox.replaceChildren(d ? d.element : h("p", {}, `No machine for ${key} in this page.`));
    history.replaceChildren(
      h("h3", {}, "History"),
      h(
        "table",
        { class: "history-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, "time"),
            h("th", { scope: "col" }, "what"),
            h("th", { scope: "col" }, "cause"),
          ),
        ),
        h(
          "tbody",
          {},
          ...historyOf(page, index).map((l) =>
            h("tr", {}, h("td", {}, fmt(l.t)), h("td", {}, l.what), h("td", {}, l.cause)),
          ),
        ),
      ),
    );
    highlight();
  };
  const tl = timeline(page.entities, page.kinds, page.markers, page.end, select);
  const setTime = (t: number) => {
    now = Math.min(Math.max(0, t), page.end);
    scrubber.value = String(now);
    clock.textContent = fmt(now);
    tl.setTime(now);
    highlight();
  };
  scrubber.addEventListener("input", () => setTime(Number(scrubber.value)));
  let playing = false;
  let lastFrame = 0;
  const frame = (wall: number) => {
    if (!playing) return;
    const dt = lastFrame === 0 ? 0 : (wall - lastFrame) / 1000;
    lastFrame = wall;
    const next = now + (dt * page.end) / Number(speed.value);
    setTime(Math.min(next, page.end));
    if (next >= page.end) toggle(false);
    else requestAnimationFrame(frame);
  };
  const toggle = (on: boolean) => {
    playing = on;
    play.textContent = on ? "⏸ Pause" : "▶ Play";
    play.setAttribute("aria-pressed", String(on));
    if (on) {
      if (now >= page.end) setTime(0);
      lastFrame = 0;
      requestAnimationFrame(frame);
    }
  };
  play.addEventListener("click", () => toggle(!playing));
  root.append(
    h(
      "header",
      {},
      h("h1", {}, page.title),
      h(
        "p",
        { class: "meta" },
        `${page.entities.length} entities · simulated ${fmt(page.end)}${page.seed === null ? "" : ` · seed ${page.seed}`}`,
      ),
      verdicts,
    ),
    controls,
    legend(page.phases),
    h("main", { class: "split" }, tl.element, detail),
  );
  const first = page.entities.findIndex((e) => e.id === page.selected);
  if (page.entities.length > 0) tl.select(Math.max(0, first));
  setTime(0);
}
