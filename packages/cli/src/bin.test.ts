import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("./bin.ts", import.meta.url));

describe("the phasekit bin", () => {
  it("a reader that closes the pipe early (phasekit spec | head) ends the output quietly, exit 0, no stack", async () => {
    const child = spawn(process.execPath, ["--conditions=@phasekit/source", "--import", "tsx", bin, "spec"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Close our end before phasekit writes, as `head` does once it has read enough.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  }, 60_000);
});
