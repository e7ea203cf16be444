import { defineConfig } from "tsup";

export default defineConfig({
  // The client thread's script is an entry of its own: the client starts it beside index.js.
  entry: { index: "src/index.ts", "client-thread": "src/platformatic/client-thread.ts" },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts" } },
  sourcemap: true,
  clean: true,
  // import.meta.url in the CommonJS build too (where the thread's script is found).
  shims: true,
});
