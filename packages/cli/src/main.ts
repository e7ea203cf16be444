import { parseArgs } from "node:util";
import type { Command, Options } from "./command.js";
import { exit, type Io, processIo, UsageError } from "./io.js";
import { closest, didYouMean } from "./suggest.js";
import { cliVersion } from "./version.js";

/**
 * The commands, one line each: the usage line `phasekit --help` lists, and the module that holds
 * the command (imported only when the command runs, so `--help` loads neither core nor Kafka).
 */
const commands: Record<string, { readonly usage: string; readonly load: () => Promise<Command> }> = {
  spec: {
    usage: "phasekit spec [--system S] [--kind K] [--format md|json|mermaid|html]",
    load: async () => (await import("./commands/spec.js")).command,
  },
  explain: {
    usage: "phasekit explain runai <file> [--format text|json] [--type T] [--preemptible true|false]",
    load: async () => (await import("./commands/explain.js")).command,
  },
  simulate: {
    usage:
      "phasekit simulate <file> [--format text|jsonl] [--seed N] [--entity ID] [--html F] [--kafka B] [--kube K]",
    load: async () => (await import("./commands/simulate.js")).command,
  },
  view: {
    usage: "phasekit view <file> [--out run.html] [--seed N] [--entity ID]",
    load: async () => (await import("./commands/view.js")).command,
  },
  validate: {
    usage: "phasekit validate <file>...",
    load: async () => (await import("./commands/validate.js")).command,
  },
  serve: {
    usage:
      "phasekit serve <service>[,<service>...] --kafka <brokers> [--prefix P] [--quotas FILE] [--kv URL] [--view URL] [--kube KUBECONFIG|in-cluster]",
    load: async () => (await import("./commands/serve.js")).command,
  },
  conform: {
    usage:
      "phasekit conform <file|-> [--system dyff|runai|wallaroo|ray] [--kind K] [--input FORMAT] [--vocabulary seed|released] [--format text|json]",
    load: async () => (await import("./commands/conform.js")).command,
  },
  "check-package": {
    usage: "phasekit check-package <file.zip> [--format text|json]",
    load: async () => (await import("./commands/check-package.js")).command,
  },
  fuzz: {
    usage:
      "phasekit fuzz [--runs N] [--seed S] [--time D] [--systems S,...] [--out FILE] [--format text|json]",
    load: async () => (await import("./commands/fuzz.js")).command,
  },
};

/** The usage line of every command, for tests that check it matches the command's own help. */
export const commandUsages: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(commands).map(([name, c]) => [name, c.usage]),
);

const help = `phasekit: the lifecycle semantics of ML workload platforms, executable.

Usage: phasekit <command> [flags]

Commands:
${Object.values(commands)
  .map((c) => `  ${c.usage}`)
  .join("\n")}
  phasekit serve api --tokens FILE [--port N] [--step-ms MS] [--failure-rate P]   (a local Dyff)
  phasekit help <command>

Flags: --help (-h) on any command; --version (-V).
A file argument "-" reads standard input. Exit codes: 0 ok, 1 the subject failed a check,
2 bad usage or input. Run \`phasekit help <command>\` for a command's flags.`;

function unknownCommand(name: string): UsageError {
  const names = [...Object.keys(commands), "help"];
  return new UsageError(`unknown command "${name}".${didYouMean(name, names)} Commands: ${names.join(", ")}`);
}

/**
 * Parses a command's flags with node's parseArgs, lenient, then checks them ourselves so every
 * mistake is reported in our words: an unknown flag (with the closest known one), a flag that needs
 * a value and has none, a switch given a value.
 */
function parseFlags(args: readonly string[], options: Options) {
  const all: Options = { ...options, help: { type: "boolean", short: "h" } };
  const { values, positionals, tokens } = parseArgs({
    args: [...args],
    options: all,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const known = Object.keys(all).map((n) => `--${n}`);
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const spec = all[token.name];
    if (spec === undefined)
      throw new UsageError(
        `unknown flag ${token.rawName}.${didYouMean(token.rawName, known)} Flags: ${known.join(", ")}`,
      );
    if (spec.type === "string") {
      const value = token.value;
      if (value === undefined || (token.inlineValue === false && value.startsWith("-") && value !== "-"))
        throw new UsageError(`${token.rawName} needs a value (${token.rawName} <value>)`);
    } else if (token.inlineValue) throw new UsageError(`${token.rawName} takes no value`);
  }
  return { values: values as Record<string, unknown>, positionals };
}

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
  if (name === undefined || name === "--help" || name === "-h") {
    (name === undefined ? io.err : io.out)(`${help}\n`);
    return name === undefined ? exit.usage : exit.ok;
  }
  if (name === "--version" || name === "-V") {
    io.out(`${cliVersion()}\n`);
    return exit.ok;
  }
  let label = "phasekit";
  try {
    if (name === "help") {
      if (rest.length === 0) {
        io.out(`${help}\n`);
        return exit.ok;
      }
      const [topic, ...extra] = rest;
      if (extra.length > 0 || topic === undefined)
        throw new UsageError(`help takes one command, got ${rest.join(" ")}`);
      const entry = commands[topic];
      if (!entry) throw unknownCommand(topic);
      io.out(`${(await entry.load()).help}\n`);
      return exit.ok;
    }
    if (name.startsWith("-")) {
      const flag = closest(name, ["--help", "--version"]);
      throw new UsageError(
        `unknown flag ${name} before the command.${flag ? ` Did you mean "${flag}"?` : ""} Usage: phasekit <command> [flags]; phasekit --help lists the commands`,
      );
    }
    const entry = commands[name];
    if (!entry) throw unknownCommand(name);
    label = `phasekit ${name}`;
    const command = await entry.load();
    const { values, positionals } = parseFlags(rest, command.options);
    if (values.help) {
      io.out(`${command.help}\n`);
      return exit.ok;
    }
    return await command.run(values, positionals, io);
  } catch (error) {
    // The runtime's StoreConfigError is a usage error too; matched by name so that this module does
    // not load the runtime for every command.
    if (error instanceof UsageError || (error instanceof Error && error.name === "StoreConfigError")) {
      io.err(`${label}: ${error.message}\n`);
      return exit.usage;
    }
    throw error;
  }
}
