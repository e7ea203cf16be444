/**
 * A small layered layout for a state diagram (a few to a dozen statuses): ranks by the distance
 * from the initial status with the terminal statuses at the bottom, one sweep of barycentre ordering
 * inside each rank, then curves down for forward edges (spread along the boxes), side arcs for the
 * edges that go back up or sideways, and loops for self-transitions. Pure (no DOM), so it is tested in Node and runs in the page.
 *
 * @module
 */

export interface LayoutNode {
  readonly name: string;
  readonly rank: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface LayoutEdge {
  readonly from: string;
  readonly to: string;
  /** SVG path data. */
  readonly d: string;
  /** Goes back up (closes a cycle) or is a self-loop. */
  readonly back: boolean;
}

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly LayoutNode[];
  readonly edges: readonly LayoutEdge[];
}

const nodeH = 30;
const gapX = 22;
const gapY = 58;
const margin = 16;
/** Width of a node for its label: about 7.4px a character at the page's 13px font. */
export const nodeWidth = (label: string) => Math.max(72, Math.round(label.length * 7.4) + 26);

/**
 * Lays out the statuses `names` (the initial one first) and the edges between them; `terminal`
 * names the terminal statuses (drawn at the bottom).
 *
 * @example
 * ```ts
 * const l = layout(["Created", "Admitted", "Complete"], "Created", [
 *   { from: "Created", to: "Admitted" }, { from: "Admitted", to: "Complete" },
 * ], ["Complete"]);
 * l.nodes.map((n) => n.rank); // [0, 1, 2]
 * ```
 */
export function layout(
  names: readonly string[],
  initial: string,
  edges: readonly { readonly from: string; readonly to: string }[],
  terminal: readonly string[] = [],
): Layout {
  const known = new Set(names);
  const out = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const e of edges)
    if (e.from !== e.to && known.has(e.from) && known.has(e.to)) out.get(e.from)!.push(e.to);
  // Ranks: non-terminal statuses by their breadth-first distance from the initial one (a dense
  // machine stays shallow), then the terminal ones in a row below, and below that the terminal
  // ones only a terminal one leads to (Deleted).
  const depth = new Map<string, number>();
  const queue = known.has(initial) ? [initial] : [];
  if (queue.length > 0) depth.set(initial, 0);
  while (queue.length > 0) {
    const a = queue.shift()!;
    for (const b of out.get(a)!)
      if (!depth.has(b)) {
        depth.set(b, depth.get(a)! + 1);
        queue.push(b);
      }
  }
  const isTerminal = new Set(terminal);
  const rank = new Map<string, number>();
  let deepest = 0;
  for (const n of names)
    if (!isTerminal.has(n)) {
      rank.set(n, depth.get(n) ?? 0);
      deepest = Math.max(deepest, rank.get(n)!);
    }
  const afterAnEnd = new Set(names.filter((n) => isTerminal.has(n)).flatMap((n) => out.get(n)!));
  for (const n of names) if (isTerminal.has(n)) rank.set(n, deepest + (afterAnEnd.has(n) ? 2 : 1));
  const forward = (a: string, b: string) => rank.get(b)! > rank.get(a)!;
  const ranks: string[][] = [];
  for (const n of names) (ranks[rank.get(n)!] ??= []).push(n);
  // One sweep down: order each rank by the mean position of its predecessors in the rank above.
  const pos = new Map<string, number>();
  ranks.forEach((row, r) => {
    if (r > 0) {
      const preds = (n: string) =>
        names.filter((a) => out.get(a)!.includes(n) && forward(a, n)).map((a) => pos.get(a) ?? 0);
      const key = new Map(
        row.map((n, i) => {
          const p = preds(n);
          return [n, p.length === 0 ? i : p.reduce((x, y) => x + y, 0) / p.length];
        }),
      );
      row.sort((a, b) => key.get(a)! - key.get(b)!);
    }
    for (const [i, n] of row.entries()) pos.set(n, i);
  });
  const rowWidth = (row: string[]) => row.reduce((w, n) => w + nodeWidth(n), 0) + gapX * (row.length - 1);
  const inner = Math.max(...ranks.map((r) => (r ? rowWidth(r) : 0)));
  const width = inner + margin * 2 + 60; // room on the right for the arcs of back edges
  const nodes = new Map<string, LayoutNode>();
  ranks.forEach((row, r) => {
    let x = margin + (inner - rowWidth(row)) / 2;
    for (const n of row) {
      const w = nodeWidth(n);
      nodes.set(n, { name: n, rank: r, x, y: margin + r * (nodeH + gapY), w, h: nodeH });
      x += w + gapX;
    }
  });
  const height = margin * 2 + ranks.length * nodeH + (ranks.length - 1) * gapY;
  // Where each forward edge leaves its source and enters its target: spread along the box's bottom
  // and top edges, in the order of the other end's x, so arrows into one box do not overlap.
  const ports = new Map<string, number>();
  const spread = (n: LayoutNode, others: LayoutNode[], side: "out" | "in") => {
    others.sort((a, b) => a.x + a.w / 2 - (b.x + b.w / 2));
    const step = Math.min(14, (n.w - 16) / Math.max(1, others.length));
    for (const [i, o] of others.entries())
      ports.set(
        `${side}\u0000${n.name}\u0000${o.name}`,
        n.x + n.w / 2 + (i - (others.length - 1) / 2) * step,
      );
  };
  for (const n of nodes.values()) {
    const outs = [...new Set(out.get(n.name)!)].filter((m) => forward(n.name, m)).map((m) => nodes.get(m)!);
    const ins = names
      .filter((a) => out.get(a)!.includes(n.name) && forward(a, n.name))
      .map((a) => nodes.get(a)!);
    spread(n, outs, "out");
    spread(n, ins, "in");
  }
  const laid: LayoutEdge[] = [];
  const seen = new Set<string>();
  for (const e of edges) {
    const key = `${e.from}\u0000${e.to}`;
    const a = nodes.get(e.from);
    const b = nodes.get(e.to);
    if (!a || !b || seen.has(key)) continue;
    seen.add(key);
    if (a === b) {
      const x = a.x + a.w;
      const y = a.y + a.h / 2;
      laid.push({
        ...e,
        back: true,
        d: `M${x} ${y - 6} C${x + 26} ${y - 22} ${x + 26} ${y + 22} ${x} ${y + 6}`,
      });
    } else if (b.rank > a.rank) {
      const x1 = ports.get(`out\u0000${a.name}\u0000${b.name}`) ?? a.x + a.w / 2;
      const x2 = ports.get(`in\u0000${b.name}\u0000${a.name}`) ?? b.x + b.w / 2;
      const [y1, y2] = [a.y + a.h, b.y];
      const c = (y2 - y1) / 2;
      laid.push({ ...e, back: false, d: `M${x1} ${y1} C${x1} ${y1 + c} ${x2} ${y2 - c} ${x2} ${y2}` });
    } else {
      // Up or sideways: leave from the right side, arc out and come in on the right side.
      const [x1, y1, x2, y2] = [a.x + a.w, a.y + a.h / 2, b.x + b.w, b.y + b.h / 2];
      const out_ = Math.max(x1, x2) + 30 + 8 * Math.abs(a.rank - b.rank);
      laid.push({ ...e, back: true, d: `M${x1} ${y1} C${out_} ${y1} ${out_} ${y2} ${x2} ${y2}` });
    }
  }
  return { width, height, nodes: names.map((n) => nodes.get(n)!), edges: laid };
}
