// Writes docs/reference/<system>.md from the machines. The committed files are checked by
// packages/core/src/spec/reference.test.ts, so run this after changing a machine.
import { writeFileSync } from "node:fs";
import { catalog, markdown } from "@phasekit/core";

for (const system of catalog.systems) {
  const file = new URL(`../docs/reference/${system.name}.md`, import.meta.url);
  writeFileSync(file, markdown(system));
  console.log(`wrote docs/reference/${system.name}.md`);
}
