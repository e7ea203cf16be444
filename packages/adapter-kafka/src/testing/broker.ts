import { createConnection } from "node:net";
import { parseBrokers } from "../config.js";

/**
 * Where the integration tests find their Kafka broker: `PHASEKIT_KAFKA_BROKERS`. When it is unset
 * or nothing answers there, the tests fail (never skip) with a message that says how to run them.
 *
 * @module
 */

const howTo = [
  "run the whole suite with ./test (it starts a real broker), or:",
  "  scripts/kafka/broker.sh start",
  "  PHASEKIT_KAFKA_BROKERS=127.0.0.1:19092 pnpm test:int",
].join("\n");

function canConnect(address: string, timeoutMs: number): Promise<boolean> {
  const [host, port] = [
    address.slice(0, address.lastIndexOf(":")),
    Number(address.slice(address.lastIndexOf(":") + 1)),
  ];
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * For integration tests: the bootstrap brokers in `PHASEKIT_KAFKA_BROKERS`, once one of them accepts
 * a connection. Throws otherwise (so the test file fails, it never skips): under `CI=true` saying the
 * run should have started a broker, elsewhere saying how to start one.
 *
 * @example
 * ```ts
 * const brokers = await testBrokers(); // at the top of a *.int.test.ts
 * EventLogSuite.suite("kafka", layerKafka({ brokers, prefix: `t-${randomUUID()}` }));
 * ```
 */
export async function testBrokers(): Promise<string[]> {
  const ci = process.env.CI === "true";
  const raw = process.env.PHASEKIT_KAFKA_BROKERS;
  const why = (problem: string) =>
    new Error(
      ci
        ? `Kafka integration tests: ${problem}. Under CI the run must start a real broker (scripts/services.sh) and export PHASEKIT_KAFKA_BROKERS; it did not, so these tests fail rather than skip.`
        : `Kafka integration tests need a real broker: ${problem}.\n${howTo}`,
    );
  if (!raw) throw why("PHASEKIT_KAFKA_BROKERS is not set");
  const brokers = parseBrokers(raw, "PHASEKIT_KAFKA_BROKERS");
  if (brokers instanceof Error) throw why(brokers.message);
  for (const b of brokers) if (await canConnect(b, 3_000)) return brokers;
  throw why(`no broker answers at ${brokers.join(", ")}`);
}
