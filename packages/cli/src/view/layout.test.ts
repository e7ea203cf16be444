import { catalog } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { layout } from "./client/layout.js";
import { kindViews } from "./data.js";

const kinds = kindViews(catalog.systems);

describe("the diagram layout", () => {
  it("a chain is laid out one status a rank, top to bottom", () => {
    const l = layout(
      ["Created", "Admitted", "Complete"],
      "Created",
      [
        { from: "Created", to: "Admitted" },
        { from: "Admitted", to: "Complete" },
      ],
      ["Complete"],
    );
    expect(l.nodes.map((n) => n.rank)).toEqual([0, 1, 2]);
    expect(l.edges.every((e) => !e.back)).toBe(true);
  });

  it.each(kinds.map((k) => [`${k.system}/${k.kind}`, k] as const))(
    "%s: every status has one box inside the picture, no two boxes overlap, terminal statuses sit below every other, one path per edge",
    (_, kind) => {
      const terminal = kind.statuses.filter((s) => s.terminal).map((s) => s.name);
      const l = layout(
        kind.statuses.map((s) => s.name),
        kind.initial,
        kind.edges,
        terminal,
      );
      expect(l.nodes.map((n) => n.name)).toEqual(kind.statuses.map((s) => s.name));
      for (const n of l.nodes) {
        expect(n.x).toBeGreaterThanOrEqual(0);
        expect(n.y).toBeGreaterThanOrEqual(0);
        expect(n.x + n.w).toBeLessThanOrEqual(l.width);
        expect(n.y + n.h).toBeLessThanOrEqual(l.height);
      }
      for (const a of l.nodes)
        for (const b of l.nodes) {
          if (a === b) continue;
          const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
          expect(apart, `${a.name} and ${b.name} overlap`).toBe(true);
        }
      const lowestOther = Math.max(...l.nodes.filter((n) => !terminal.includes(n.name)).map((n) => n.rank));
      for (const n of l.nodes) if (terminal.includes(n.name)) expect(n.rank).toBeGreaterThan(lowestOther);
      expect(l.edges.length).toBe(kind.edges.length);
      for (const e of l.edges) expect(e.d).toMatch(/^M[\d.]+ [\d.]+ C/);
    },
  );
});
