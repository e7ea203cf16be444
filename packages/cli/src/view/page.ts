import type { PageData } from "./client/model.js";
import { styles } from "./styles.js";

/**
 * One self-contained HTML file: the stylesheet and the script inlined, the data in a JSON block.
 * It needs no server and no network; it opens from disk.
 *
 * @module
 */

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JSON safe inside a `<script>` element: no `</script>`, no `<!--`, no line separators. */
const scriptJson = (data: unknown) =>
  JSON.stringify(data)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

/**
 * The HTML of a page: `data` drawn by `script` (see `pageScript()`).
 *
 * @example
 * ```ts
 * writeFileSync("run.html", html(runPage(jsonl, "quota-wait.yaml"), await pageScript()));
 * ```
 */
export function html(data: PageData, script: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="phasekit">
<title>${escapeHtml(data.title)}</title>
<style>${styles}</style>
</head>
<body>
<div id="app"><noscript>This page draws the ${data.mode === "run" ? "run" : "spec"} with JavaScript; turn it on to see it.</noscript></div>
<script type="application/json" id="phasekit-data">${scriptJson(data)}</script>
<script>${script.replace(/<\/script/gi, "<\\/script")}</script>
</body>
</html>
`;
}
