import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { catalog } from "../catalog/catalog.js";
import { markdown } from "./markdown.js";
import { phasesMarkdown } from "./phases-markdown.js";

describe("docs/reference", () => {
  for (const system of catalog.systems) {
    it(`docs/reference/${system.name}.md is what the machines generate (run \`pnpm docs:gen\` after changing a machine)`, () => {
      const committed = readFileSync(
        new URL(`../../../../docs/reference/${system.name}.md`, import.meta.url),
        "utf8",
      );
      expect(committed).toBe(markdown(system));
    });
  }
  it("docs/reference/phases.md is what the machines generate (run `pnpm docs:gen` after changing a machine)", () => {
    const committed = readFileSync(new URL("../../../../docs/reference/phases.md", import.meta.url), "utf8");
    expect(committed).toBe(phasesMarkdown(catalog.systems));
  });
});
