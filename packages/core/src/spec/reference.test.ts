import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { catalog } from "../catalog/catalog.js";
import { markdown } from "./markdown.js";

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
});
