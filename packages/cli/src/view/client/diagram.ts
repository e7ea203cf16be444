import { h, s } from "./dom.js";
import { layout } from "./layout.js";
import type { KindView } from "./model.js";

/** A kind's state diagram as SVG, and a way to highlight one status. */
export interface Diagram {
  readonly element: HTMLElement;
  /** Highlights `status` (none when null) and says so in the caption. */
  readonly highlight: (status: string | null) => void;
}

/**
 * Draws `kind`'s machine: one box per status (filled by its phase, double border when terminal),
 * one arrow per pair of statuses with the events as its tooltip.
 */
export function diagram(kind: KindView): Diagram {
  const names = kind.statuses.map((st) => st.name);
  const l = layout(
    names,
    kind.initial,
    kind.edges,
    kind.statuses.filter((st) => st.terminal).map((st) => st.name),
  );
  const byName = new Map(kind.statuses.map((st) => [st.name, st]));
  const id = `d-${kind.system}-${kind.kind}`.replace(/[^A-Za-z0-9-]/g, "_");
  const svg = s("svg", {
    viewBox: `0 0 ${l.width} ${l.height}`,
    width: l.width,
    role: "img",
    "aria-labelledby": `${id}-title`,
    class: "diagram",
  });
  svg.append(s("title", { id: `${id}-title` }, `State diagram of ${kind.system} ${kind.kind}`));
  svg.append(
    s(
      "defs",
      {},
      s(
        "marker",
        {
          id: `${id}-arrow`,
          viewBox: "0 0 10 10",
          refX: 9,
          refY: 5,
          markerWidth: 7,
          markerHeight: 7,
          orient: "auto",
        },
        s("path", { d: "M0 0 L10 5 L0 10 z", class: "arrowhead" }),
      ),
    ),
  );
  for (const e of l.edges) {
    const events = kind.edges.find((x) => x.from === e.from && x.to === e.to)?.events ?? [];
    svg.append(
      s(
        "path",
        {
          d: e.d,
          class: `edge${e.back ? " back" : ""}`,
          "marker-end": `url(#${id}-arrow)`,
          "data-from": e.from,
          "data-to": e.to,
        },
        s("title", {}, `${e.from} → ${e.to}: ${events.join(", ")}`),
      ),
    );
  }
  const boxes = new Map<string, SVGElement>();
  for (const n of l.nodes) {
    const st = byName.get(n.name)!;
    const g = s(
      "g",
      {
        class: `node ph-${st.phase}${st.terminal ? " terminal" : ""}${n.name === kind.initial ? " initial" : ""}`,
        "data-status": n.name,
      },
      s("title", {}, `${n.name} (${st.phase}${st.terminal ? ", terminal" : ""}): ${st.description}`),
      s("rect", { x: n.x, y: n.y, width: n.w, height: n.h, rx: 6, class: "box" }),
      st.terminal
        ? s("rect", { x: n.x + 3, y: n.y + 3, width: n.w - 6, height: n.h - 6, rx: 4, class: "inner" })
        : null,
      s("text", { x: n.x + n.w / 2, y: n.y + n.h / 2 + 4.5, "text-anchor": "middle" }, n.name),
    );
    boxes.set(n.name, g);
    svg.append(g);
  }
  const caption = h("p", { class: "diagram-caption", "aria-live": "polite" });
  const element = h(
    "figure",
    { class: "diagram-wrap", "data-kind": `${kind.system}/${kind.kind}` },
    h("div", { class: "diagram-scroll" }, svg),
    caption,
  );
  const highlight = (status: string | null) => {
    for (const [name, g] of boxes) {
      const on = name === status;
      g.classList.toggle("current", on);
      if (on) g.setAttribute("aria-current", "true");
      else g.removeAttribute("aria-current");
    }
    caption.textContent =
      status === null
        ? `${kind.system}/${kind.kind}: not created yet`
        : `${kind.system}/${kind.kind}: current state ${status} (${byName.get(status)?.phase ?? "?"})`;
  };
  highlight(null);
  caption.textContent = `${kind.system}/${kind.kind}: initial state ${kind.initial}; terminal: ${kind.statuses
    .filter((x) => x.terminal)
    .map((x) => x.name)
    .join(", ")}`;
  return { element, highlight };
}
