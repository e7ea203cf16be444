import { diagram } from "./diagram.js";
import { cls, h } from "./dom.js";
import type { KindView, SpecPage } from "./model.js";
import { legend } from "./run.js";

const anchor = (k: KindView) => `${k.system}-${k.kind}`;

function kindSection(k: KindView): HTMLElement {
  const d = diagram(k);
  const terminal = k.statuses.filter((s) => s.terminal).map((s) => s.name);
  const rows = k.statuses.map((st) =>
    h(
      "tr",
      {
        tabindex: 0,
        "data-status": st.name,
        onfocus: () => d.highlight(st.name),
        onmouseenter: () => d.highlight(st.name),
      },
      h("th", { scope: "row" }, st.name),
      h("td", {}, h("span", { class: `chip ph-${cls(st.phase)}` }, st.phase)),
      h("td", {}, st.terminal ? `yes (${st.outcome ?? "-"})` : "no"),
      h(
        "td",
        {},
        st.reasons.length === 0
          ? "—"
          : h(
              "dl",
              { class: "reasons" },
              ...st.reasons.flatMap((r) => [h("dt", {}, r.name), h("dd", {}, r.meaning)]),
            ),
        st.reasons.length > 0 && !st.reasonRequired ? h("p", { class: "note" }, "or no reason") : null,
      ),
      h(
        "td",
        {},
        st.description,
        st.phaseRationale ? h("p", { class: "note" }, `Phase: ${st.phaseRationale}`) : null,
      ),
    ),
  );
  return h(
    "section",
    { class: "kind", id: anchor(k), "aria-labelledby": `${anchor(k)}-h` },
    h("h3", { id: `${anchor(k)}-h` }, `${k.system} / ${k.kind}`),
    h(
      "p",
      { class: "meta" },
      `Applies to: ${k.family ? `the ${k.family} family of ${k.system}` : `${k.system} ${k.kind}`}. Initial: ${k.initial}. Terminal: ${terminal.join(", ") || "none"}.`,
    ),
    d.element,
    h(
      "table",
      { class: "statuses" },
      h("caption", {}, `Statuses of ${k.kind} (focus a row to highlight it in the diagram)`),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...["status", "phase", "terminal", "reasons", "meaning"].map((c) => h("th", { scope: "col" }, c)),
        ),
      ),
      h("tbody", {}, ...rows),
    ),
    h(
      "details",
      {},
      h("summary", {}, `Events (${k.events.length}) and transitions (${k.edges.length})`),
      h(
        "dl",
        { class: "events" },
        ...k.events.flatMap((e) => [h("dt", {}, e.name), h("dd", {}, e.description)]),
      ),
      h(
        "ul",
        { class: "edges" },
        ...k.edges.map((e) => h("li", {}, `${e.from} → ${e.to}: ${e.events.join(", ")}`)),
      ),
    ),
    k.notes.length > 0 ? h("ul", { class: "notes" }, ...k.notes.map((n) => h("li", {}, n))) : null,
  );
}

/** The spec's page: a table of contents, then each system and each of its kinds. */
export function specPage(page: SpecPage, root: HTMLElement): void {
  const toc = h(
    "nav",
    { "aria-label": "Systems and kinds" },
    h(
      "ul",
      {},
      ...page.systems.map((s) =>
        h(
          "li",
          {},
          h("a", { href: `#sys-${s.name}` }, s.title),
          h(
            "ul",
            {},
            ...page.kinds
              .filter((k) => k.system === s.name)
              .map((k) => h("li", {}, h("a", { href: `#${anchor(k)}` }, k.kind))),
          ),
        ),
      ),
    ),
  );
  root.append(
    h(
      "header",
      {},
      h("h1", {}, page.title),
      h("p", { class: "meta" }, `${page.systems.length} systems, ${page.kinds.length} kinds`),
    ),
    legend(page.phases),
    toc,
    h(
      "main",
      { class: "spec" },
      ...page.systems.map((s) =>
        h(
          "section",
          { id: `sys-${s.name}`, class: "system" },
          h("h2", {}, s.title),
          h("p", {}, s.description),
          s.choices.length > 0
            ? h(
                "details",
                {},
                h("summary", {}, `Choices where the source is silent (${s.choices.length})`),
                h("ul", {}, ...s.choices.map((c) => h("li", {}, c))),
              )
            : null,
          s.differences.length > 0
            ? h(
                "details",
                {},
                h("summary", {}, `Differences from the source (${s.differences.length})`),
                h("ul", {}, ...s.differences.map((c) => h("li", {}, c))),
              )
            : null,
          ...page.kinds.filter((k) => k.system === s.name).map(kindSection),
        ),
      ),
    ),
  );
}
