import { parseArgs } from "node:util";
import { checkPackage, checkPackageHelp, checkPackageOptions } from "./commands/check-package.js";
import { conformCommand } from "./commands/conform.js";
import { explain, explainHelp, explainOptions } from "./commands/explain.js";
import { serve, serveHelp, stopOnSignals } from "./commands/serve.js";
import { simulate, simulateHelp } from "./commands/simulate.js";
import { simulateKafkaHelp, simulateOnKafka } from "./commands/simulate-kafka.js";
import { spec, specHelp } from "./commands/spec.js";
import { exit, type Io, processIo, UsageError } from "./io.js";

const help = `phasekit: the lifecycle semantics of ML workload platforms, executable.

Commands:
  ${specHelp.split("\n")[0]}
  ${explainHelp.split("\n")[0]}
  ${simulateHelp.split("\n")[0]}
  ${serveHelp.split("\n")[0]}
  ${checkPackageHelp.split("\n")[0]}

Run \`phasekit <command> --help\` for a command's options.`;

type Command = {
  readonly help: string;
  readonly options: NonNullable<Parameters<typeof parseArgs>[0]>["options"];
  readonly run: (values: Record<string, unknown>, positionals: string[], io: Io) => number | Promise<number>;
};

const commands: Record<string, Command> = {
  "check-package": {
    help: checkPackageHelp,
    options: checkPackageOptions,
    run: (v, p, io) => checkPackage(p, v, io),
  },
  conform: conformCommand,
  explain: { help: explainHelp, options: explainOptions, run: (v, p, io) => explain(p, v, io) },
  simulate: {
    help: `${simulateHelp}\n${simulateKafkaHelp}`,
    options: {
      format: { type: "string" },
      seed: { type: "string" },
      kafka: { type: "string" },
      prefix: { type: "string" },
    },
    run: (v, p, io) => {
      if (p.length > 1) throw new UsageError(`expected one scenario file, got ${p.length}: ${p.join(" ")}`);
      const [format, seed, kafka, prefix] = [v.format, v.seed, v.kafka, v.prefix] as (string | undefined)[];
      if (kafka !== undefined) return simulateOnKafka({ file: p[0], format, seed, kafka, prefix }, io);
      if (prefix !== undefined) throw new UsageError("--prefix goes with --kafka");
      return simulate({ file: p[0], format, seed }, io);
    },
  },
  serve: {
    help: serveHelp,
    options: { kafka: { type: "string" }, prefix: { type: "string" }, quotas: { type: "string" } },
    run: (v, p, io) => {
      if (p.length > 1) throw new UsageError(`expected one service list, got ${p.length}: ${p.join(" ")}`);
      const [kafka, prefix, quotas] = [v.kafka, v.prefix, v.quotas] as (string | undefined)[];
      return serve({ services: p[0], kafka, prefix, quotas }, io, stopOnSignals());
    },
  },
  spec: {
    help: specHelp,
    options: { system: { type: "string" }, format: { type: "string" } },
    run: (v, _p, io) =>
      spec({ system: v.system as string | undefined, format: v.format as string | undefined }, io),
  },
};

/**
 * Runs the phasekit command line and returns its exit code. Bad usage and bad input print a clear
 * message and return 2; they never show a stack trace.
 *
 * @example
 * ```ts
 * import { run } from "@phasekit/cli";
 * const code = await run(["spec", "--system", "dyff", "--format", "json"]);
 * ```
 */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(`${help}\n`);
    return name === undefined ? exit.usage : exit.ok;
  }
  const command = commands[name];
  if (!command) {
    io.err(`phasekit: unknown command "${name}"; expected one of ${Object.keys(commands).join(", ")}\n`);
    return exit.usage;
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.out(`${command.help}\n`);
      return exit.ok;
    }
    return await command.run(values, positionals, io);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))
    ) {
      io.err(`phasekit ${name}: ${error.message}\n`);
      return exit.usage;
    }
    throw error;
  }
}
