// The phasekit commands of ```bash kafka blocks and those with `--kafka`, against a real broker (PHASEKIT_KAFKA_BROKERS). A
// documented broker address (`--kafka 127.0.0.1:19092`) is replaced by the one the tests are given.
// Without a broker this fails, and says how to start one; it never skips.
import { describe, expect, it } from "vitest";
import { inBatches, root, runCommand } from "./run.js";
import { blocksOf, markdownFiles, plan } from "./snippets.js";

const brokers = process.env.PHASEKIT_KAFKA_BROKERS;

describe("code blocks in the docs that need Kafka", () => {
  it("every phasekit command that needs Kafka (```bash kafka, or --kafka) exits as documented", async () => {
    expect(
      brokers,
      "PHASEKIT_KAFKA_BROKERS is not set: start a broker (scripts/kafka/broker.sh start) and run PHASEKIT_KAFKA_BROKERS=127.0.0.1:19092 pnpm test:int packages/e2e/src/docs",
    ).toBeTruthy();
    const commands = blocksOf(root, markdownFiles(root)).flatMap((block) => {
      const p = plan(block);
      return p.kind === "commands"
        ? p.commands
            .filter((c) => c.service === "kafka")
            .map((c) => {
              const at = c.args.indexOf("--kafka");
              const args = at >= 0 ? c.args.map((a, i) => (i === at + 1 ? String(brokers) : a)) : c.args;
              return { c: { ...c, args }, file: block.file }; // topics: a fresh prefix per run
            })
        : [];
    });
    expect(commands.length).toBeGreaterThan(0);
    const errors = (await inBatches(commands, 1, ({ c, file }) => runCommand(c, file))).filter(
      (e): e is string => e !== null,
    );
    expect(errors, errors.join("\n\n")).toEqual([]);
  });
});
