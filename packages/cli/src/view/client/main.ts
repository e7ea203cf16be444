import type { PageData } from "./model.js";
import { runPage } from "./run.js";
import { specPage } from "./spec.js";

// The page's script: reads the data block the CLI embedded and draws the run or the spec.
const block = document.getElementById("phasekit-data");
const root = document.getElementById("app");
if (block && root) {
  const data = JSON.parse(block.textContent ?? "null") as PageData;
  root.replaceChildren();
  if (data.mode === "run") runPage(data, root);
  else specPage(data, root);
  document.documentElement.dataset.ready = "true";
}
