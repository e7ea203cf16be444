/** A few DOM helpers for the page's script (no framework: the page is small and static). */

type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;
type Child = Node | string | null | undefined | false;

function apply(el: Element, attrs: Attrs | undefined, children: readonly Child[]) {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** An HTML element: `h("p", { class: "x" }, "text")`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  return apply(document.createElement(tag), attrs, children) as HTMLElementTagNameMap[K];
}

const svgNs = "http://www.w3.org/2000/svg";

/** An SVG element: `s("rect", { x: 0, y: 0 })`. */
export function s(tag: string, attrs?: Attrs, ...children: Child[]): SVGElement {
  return apply(document.createElementNS(svgNs, tag), attrs, children) as SVGElement;
}

/**
 * Simulated seconds as the simulator's text prints them: `0s`, `45s`, `1m30s`, `2h`, `1h0m5s`.
 */
export function fmt(t: number): string {
  if (t < 60) return `${+t.toFixed(3)}s`;
  const whole = Math.round(t);
  const hh = Math.floor(whole / 3600);
  const mm = Math.floor((whole % 3600) / 60);
  const ss = whole % 60;
  if (hh > 0) return `${hh}h${mm || ss ? `${mm}m` : ""}${ss ? `${ss}s` : ""}`;
  return `${mm}m${ss ? `${ss}s` : ""}`;
}

/** A CSS class name for a phase or status (letters, digits, dashes only). */
export const cls = (name: string) => name.replace(/[^A-Za-z0-9-]/g, "_");
