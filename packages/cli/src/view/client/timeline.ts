import { cls, fmt, h } from "./dom.js";
import type { Change, EntityView, KindView, MarkerView } from "./model.js";

/**
 * The timeline: one row per entity, grouped by system and kind, virtualised (only the rows in view
 * are in the DOM, so 10,000 entities scroll and scrub as fast as ten). A listbox for assistive
 * technology: arrow keys move, Enter or a click selects.
 *
 * @module
 */

export const rowHeight = 28;
const overscan = 8;

type Item =
  | { readonly type: "group"; readonly label: string; readonly count: number }
  | { readonly type: "entity"; readonly index: number };

/** The index of the last change at or before `t` (-1 when the entity did not exist yet). */
export function changeAt(changes: readonly Change[], t: number): number {
  let lo = 0;
  let hi = changes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (changes[mid]![0] <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Round times for the axis: at most five, at a step of 1, 2 or 5 times a second, minute or hour. */
export function ticks(span: number): number[] {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400];
  const step = steps.find((x) => span / x <= 4) ?? Math.ceil(span / 4 / 86400) * 86400;
  const out: number[] = [];
  for (let t = 0; t <= span + 1e-9; t += step) out.push(t);
  return out;
}

export const statusText = (c: Change) => (c[2] === null ? c[1] : `${c[1]}/${c[2]}`);

export interface Timeline {
  readonly element: HTMLElement;
  readonly setTime: (t: number) => void;
  readonly select: (index: number) => void;
}

export function timeline(
  entities: readonly EntityView[],
  kinds: readonly KindView[],
  markers: readonly MarkerView[],
  end: number,
  onSelect: (index: number) => void,
): Timeline {
  const phaseOf = new Map<string, string>();
  for (const k of kinds)
    for (const st of k.statuses) phaseOf.set(`${k.system}/${k.kind}/${st.name}`, st.phase);
  const phase = (e: EntityView, status: string) =>
    phaseOf.get(`${e.system}/${e.kind}/${status}`) ?? "Unknown";
  const markersOf = new Map<string, MarkerView[]>();
  for (const m of markers) {
    const key = m.id ?? "";
    let list = markersOf.get(key);
    if (!list) markersOf.set(key, (list = []));
    list.push(m);
  }
  const items: Item[] = [];
  let last = "";
  entities.forEach((e, index) => {
    const label = `${e.system} · ${e.kind}`;
    if (label !== last) {
      last = label;
      items.push({
        type: "group",
        label,
        count: entities.filter((x) => x.system === e.system && x.kind === e.kind).length,
      });
    }
    items.push({ type: "entity", index });
  });
  const itemOf = new Map<number, number>();
  for (const [i, it] of items.entries()) if (it.type === "entity") itemOf.set(it.index, i);
  const span = end > 0 ? end : 1;
  const pct = (t: number) => `${((t / span) * 100).toFixed(3)}%`;

  let now = 0;
  let active = entities.length > 0 ? 0 : -1;
  let selected = active;

  const spacer = h("div", { class: "spacer", style: `height:${items.length * rowHeight}px` });
  const list = h(
    "div",
    {
      class: "rows",
      id: "rows",
      role: "listbox",
      tabindex: 0,
      // No taller than its rows: a small run leaves no empty box.
      style: `height:min(62vh,560px,${items.length * rowHeight + 2}px)`,
      "aria-label": `Entities (${entities.length}); arrow keys move, Enter selects`,
    },
    spacer,
  );
  const runLane = markersOf.get("") ?? [];
  const axis = h("div", { class: "axis", "aria-hidden": "true" });
  for (const t of ticks(span)) axis.append(h("span", { style: `left:${pct(t)}` }, fmt(t)));
  const lane = h(
    "div",
    { class: "lane", title: "Run-wide notes: crashes and waits" },
    h("span", { class: "cell label" }, "run"),
    h("span", { class: "cell status" }, ""),
    track(null, runLane),
  );

  function track(e: EntityView | null, ms: readonly MarkerView[]) {
    const el = h("span", { class: "track" });
    if (e) {
      e.changes.forEach((c, i) => {
        const from = c[0];
        const to = i + 1 < e.changes.length ? e.changes[i + 1]![0] : span;
        if (to <= from && i + 1 < e.changes.length) return; // replaced at the same instant
        const ph = phase(e, c[1]);
        el.append(
          h("span", {
            class: `seg ph-${cls(ph)}`,
            style: `left:${pct(from)};width:calc(${pct(Math.max(to - from, 0))} + 1px)`,
            title: `${statusText(c)} (${ph}) from ${fmt(from)}${i + 1 < e.changes.length ? ` to ${fmt(to)}` : ""}`,
          }),
        );
      });
    }
    for (const m of ms)
      el.append(
        h("span", {
          class: `mark mk-${cls(m.type)}`,
          style: `left:${pct(m.t)}`,
          title: `${fmt(m.t)} ${m.text}`,
        }),
      );
    el.append(h("span", { class: "cursor", style: `left:${pct(now)}` }));
    return el;
  }

  const rendered = new Map<number, HTMLElement>();
  function statusCell(row: HTMLElement, e: EntityView) {
    const i = changeAt(e.changes, now);
    const cell = row.querySelector<HTMLElement>(".status")!;
    const text = i < 0 ? "—" : statusText(e.changes[i]!);
    const ph = i < 0 ? "" : phase(e, e.changes[i]![1]);
    cell.textContent = text;
    cell.className = `cell status${ph ? ` ph-${cls(ph)}` : " absent"}`;
    cell.title = i < 0 ? `not created by ${fmt(now)}` : `${text} (${ph}) at ${fmt(now)}`;
    row.dataset.status = i < 0 ? "" : e.changes[i]![1];
    row.dataset.reason = i < 0 ? "" : (e.changes[i]![2] ?? "");
    row.setAttribute(
      "aria-label",
      `${e.id}, ${e.kind}: ${i < 0 ? "not created yet" : `${text}, ${ph}`} at ${fmt(now)}`,
    );
    const cursor = row.querySelector<HTMLElement>(".cursor");
    if (cursor) cursor.style.left = pct(now);
  }
  function makeRow(item: Item, at: number): HTMLElement {
    if (item.type === "group")
      return h(
        "div",
        { class: "group", role: "presentation", style: `top:${at * rowHeight}px` },
        `${item.label} (${item.count})`,
      );
    const e = entities[item.index]!;
    const row = h(
      "div",
      {
        class: "row",
        role: "option",
        id: `row-${item.index}`,
        "data-id": e.id,
        "data-kind": `${e.system}/${e.kind}`,
        "aria-selected": item.index === selected ? "true" : "false",
        style: `top:${at * rowHeight}px`,
        onclick: () => {
          setActive(item.index);
          choose(item.index);
        },
      },
      h("span", { class: "cell label", title: `${e.system}/${e.kind} ${e.id}` }, e.id),
      h("span", { class: "cell status" }),
      track(e, markersOf.get(e.id) ?? []),
    );
    statusCell(row, e);
    return row;
  }
  function render() {
    const top = list.scrollTop;
    const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
    const lastItem = Math.min(items.length, Math.ceil((top + list.clientHeight) / rowHeight) + overscan);
    for (const [i, el] of rendered)
      if (i < first || i >= lastItem) {
        el.remove();
        rendered.delete(i);
      }
    for (let i = first; i < lastItem; i++) {
      if (rendered.has(i)) continue;
      const el = makeRow(items[i]!, i);
      rendered.set(i, el);
      spacer.append(el);
    }
    for (const el of rendered.values()) el.classList.toggle("active", el.id === `row-${active}`);
    if (active >= 0) list.setAttribute("aria-activedescendant", `row-${active}`);
  }
  function setActive(index: number) {
    if (index < 0 || index >= entities.length) return;
    active = index;
    const at = itemOf.get(index)! * rowHeight;
    if (at < list.scrollTop)
      list.scrollTop = at - rowHeight; // the group header too, when it is first
    else if (at + rowHeight > list.scrollTop + list.clientHeight)
      list.scrollTop = at + rowHeight - list.clientHeight;
    render();
  }
  function choose(index: number) {
    selected = index;
    for (const el of rendered.values())
      if (el.classList.contains("row")) el.setAttribute("aria-selected", String(el.id === `row-${index}`));
    onSelect(index);
  }
  list.addEventListener("scroll", render, { passive: true });
  list.addEventListener("keydown", (ev) => {
    const page = Math.max(1, Math.floor(list.clientHeight / rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (ev.key in moves) setActive(Math.min(entities.length - 1, Math.max(0, active + moves[ev.key]!)));
    else if (ev.key === "Home") setActive(0);
    else if (ev.key === "End") setActive(entities.length - 1);
    else if (ev.key === "Enter" || ev.key === " ") choose(active);
    else return;
    ev.preventDefault();
  });
  new ResizeObserver(render).observe(list);

  const element = h(
    "section",
    { class: "timeline", "aria-label": "Timeline" },
    h(
      "div",
      { class: "head", "aria-hidden": "true" },
      h("span", { class: "cell label" }, "entity"),
      h("span", { class: "cell status" }, "status at t"),
      axis,
    ),
    lane,
    list,
  );
  queueMicrotask(render);
  return {
    element,
    setTime: (t: number) => {
      now = t;
      for (const [i, el] of rendered) {
        const item = items[i]!;
        if (item.type === "entity") statusCell(el, entities[item.index]!);
      }
      const c = lane.querySelector<HTMLElement>(".cursor");
      if (c) c.style.left = pct(now);
    },
    select: (index: number) => {
      setActive(index);
      choose(index);
    },
  };
}
