import { randomUUID } from "node:crypto";
import { parseBrokers } from "@phasekit/adapter-kafka";
import { parseScenario, renderJsonl, renderText } from "@phasekit/adapter-memory";
import { DecodeError, LogError } from "@phasekit/core";
import { type Backend, describeBackend, runScenarioOn } from "@phasekit/runtime";
import { exit, type Io, inputName, readInput, UsageError } from "../io.js";

export interface SimulateKafkaOptions {
  readonly file: string | undefined;
  readonly kafka: string;
  readonly prefix?: string | undefined;
  readonly format?: string | undefined;
  readonly seed?: string | undefined;
}

const formats = ["text", "jsonl"] as const;

function seedOf(seed: string | undefined): number | undefined {
  if (seed === undefined) return undefined;
  if (!/^\d+$/.test(seed) || Number(seed) > 0xffffffff)
    throw new UsageError(`--seed: got "${seed}", expected a whole number from 0 to ${0xffffffff}`);
  return Number(seed);
}

/**
 * `phasekit simulate --kafka <brokers> <file>`: the scenario through Kafka; prints the same output
 * as the in-memory run (plus the topic prefix on stderr) and returns the exit code.
 *
 * @example
 * ```ts
 * const code = await simulateOnKafka({ file: "examples/quota-wait.yaml", kafka: "127.0.0.1:19092" }, processIo);
 * ```
 */
export async function simulateOnKafka(options: SimulateKafkaOptions, io: Io): Promise<number> {
  const format = options.format ?? "text";
  if (!(formats as readonly string[]).includes(format))
    throw new UsageError(`--format: got "${format}", expected one of ${formats.join(", ")}`);
  if (options.file === undefined)
    throw new UsageError("expected a scenario file: phasekit simulate --kafka B <file>");
  const brokers = parseBrokers(options.kafka, "--kafka");
  if (brokers instanceof DecodeError) throw new UsageError(brokers.message);
  const seed = seedOf(options.seed);
  const name = inputName(options.file);
  const scenario = parseScenario(readInput(options.file, io), name);
  if (scenario instanceof DecodeError) {
    io.err(`phasekit simulate: ${scenario.message}\n`);
    return exit.usage;
  }
  const system = (scenario as { system?: string }).system ?? "dyff";
  if (system !== "dyff")
    throw new UsageError(`--kafka runs Dyff's control plane; this scenario's system is "${system}"`);
  const prefix = options.prefix ?? `phasekit-sim-${randomUUID().slice(0, 8)}`;
  const backend: Backend = { kafka: { brokers, prefix, clientId: "phasekit-simulate", pollWaitMs: 20 } };
  io.err(`phasekit simulate: ${describeBackend(backend)}\n`);
  let result: Awaited<ReturnType<typeof runScenarioOn>>;
  try {
    result = await runScenarioOn(scenario, backend, seed === undefined ? {} : { seed });
  } catch (error) {
    // The broker could not be reached or refused the topics: say so, without a stack trace.
    if (!(error instanceof LogError)) throw error;
    io.err(
      `phasekit simulate: --kafka ${brokers.join(",")}: ${error.log} ${error.operation}: ${error.message}\n`,
    );
    return exit.usage;
  }
  if (result.ignoredFaults.length > 0)
    io.err(
      `phasekit simulate: faults ${result.ignoredFaults.join(", ")} are injected by the memory logs only; on Kafka they were not applied (crashBeforeCommit is)\n`,
    );
  io.out(format === "jsonl" ? renderJsonl(result) : renderText(result, name));
  return result.held ? exit.ok : exit.failed;
}
