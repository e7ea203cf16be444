import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const src = new URL("./", import.meta.url);

/** Every package a module loads when it is imported: its static imports, followed through our files. */
function staticPackages(entry: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(entry)) return packages;
  seen.add(entry);
  const text = readFileSync(new URL(entry, src), "utf8");
  // `import type` is erased; `import(...)` loads on demand; both are left out.
  for (const m of text.matchAll(/^import (?!type )[^;]*? from "([^"]+)";/gms)) {
    const spec = m[1]!;
    if (spec.startsWith(".")) {
      const next = new URL(spec.replace(/\.js$/, ".ts"), new URL(entry, src)).pathname.slice(
        src.pathname.length,
      );
      for (const p of staticPackages(next, seen)) packages.add(p);
    } else packages.add(spec);
  }
  return packages;
}

describe("what the CLI loads", () => {
  it("bin.ts (so --help, --version, help) loads only node's own modules: no core, no Kafka client", () => {
    expect([...staticPackages("bin.ts")].every((p) => p.startsWith("node:"))).toBe(true);
  });

  it("simulate loads the Kafka client only for --kafka; serve is the one command that loads it up front", () => {
    for (const command of ["simulate", "validate", "spec", "explain", "check-package"]) {
      const packages = [...staticPackages(`commands/${command}.ts`)];
      expect(
        packages.filter((p) => /kafka/.test(p)),
        command,
      ).toEqual([]);
    }
    expect(staticPackages("commands/serve.ts").has("@phasekit/adapter-kafka")).toBe(true);
    // The stores' clients (gRPC for etcd, pg) load only for --kv and --view.
    expect([...staticPackages("commands/serve.ts")].filter((p) => /etcd|postgres/.test(p))).toEqual([]);
  });
});
