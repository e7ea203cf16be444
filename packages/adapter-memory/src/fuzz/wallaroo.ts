import fc from "fast-check";
import { formatDuration } from "../simulator/duration.js";

/**
 * Wallaroo's part of a generated scenario: pipeline deployments (replica bounds, spool-up,
 * timeouts) with request loads, inferences, wake-up tasks, engine failures, recoveries, undeploys
 * and redeploys; orchestrations (good and rule-breaking packages, failing packaging) with Run Once,
 * scheduled and continuous tasks whose runs succeed, fail or hang, and kills. Raw choices are mapped
 * to valid fields, so every shrink stays a valid scenario.
 *
 * @module
 */

/** Wallaroo's part of a scenario as written. */
export interface WallarooPart {
  readonly resources: readonly Record<string, unknown>[];
  readonly events: readonly Record<string, unknown>[];
}

const seconds = (s: number) => formatDuration(s * 1000);

const deployment = fc.record({
  minimum: fc.nat(1),
  maximum: fc.integer({ min: 1, max: 3 }),
  cpus: fc.constantFrom(0.5, 1, 2),
  spoolUp: fc.integer({ min: 5, max: 60 }),
  jitter: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  idle: fc.option(fc.integer({ min: 60, max: 1800 }), { nil: undefined }),
  inferenceTimeout: fc.option(fc.integer({ min: 5, max: 60 }), { nil: undefined }),
  at: fc.nat(600),
});

const deploymentEvent = fc.record({
  at: fc.nat(7200),
  action: fc.constantFrom("load", "infer", "wakeUp", "fail", "recover", "undeploy", "deploy"),
  target: fc.nat(),
  rate: fc.constantFrom(0, 5, 120),
  timeout: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
  unschedulable: fc.boolean(),
  taskTimeout: fc.option(fc.integer({ min: 30, max: 600 }), { nil: undefined }),
});

const run = fc.record({
  outcome: fc.constantFrom("success", "failure", "hang"),
  takes: fc.integer({ min: 1, max: 600 }),
  logs: fc.boolean(),
});

const task = fc.record({
  orchestration: fc.nat(),
  type: fc.constantFrom("once", "scheduled", "continuous"),
  schedule: fc.constantFrom("*/15 * * * *", "0 * * * *", "5,35 * * * *"),
  timeout: fc.option(fc.integer({ min: 60, max: 900 }), { nil: undefined }),
  runs: fc.array(run, { minLength: 1, maxLength: 2 }),
  at: fc.nat(600),
});

const plan = fc.record({
  deployments: fc.array(deployment, { maxLength: 2 }),
  deploymentEvents: fc.array(deploymentEvent, { maxLength: 5 }),
  orchestrations: fc.array(
    fc.record({
      rule: fc.constantFrom("good", "good", "good", "noMain", "twoRequirements"),
      packagingFails: fc.boolean(),
      packaging: fc.integer({ min: 1, max: 120 }),
      at: fc.nat(300),
    }),
    { maxLength: 2 },
  ),
  tasks: fc.array(task, { maxLength: 3 }),
  kills: fc.array(fc.record({ at: fc.nat(7200), task: fc.nat(), takes: fc.nat(30) }), { maxLength: 2 }),
});

type Plan = typeof plan extends fc.Arbitrary<infer P> ? P : never;

const packages = {
  good: { "main.py": "print('hi')\n", "requirements.txt": "pandas==2.2.2\n" },
  noMain: { "etl.py": "print('hi')\n" },
  twoRequirements: {
    "main.py": "print('hi')\n",
    "requirements.txt": "pandas\n",
    "sub/requirements.txt": "numpy\n",
  },
} as const;

function build(p: Plan): WallarooPart {
  const resources: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  p.deployments.forEach((d, i) => {
    resources.push({
      system: "wallaroo",
      kind: "Deployment",
      id: `pipeline${i}`,
      config: {
        cpus: d.cpus,
        minimum: Math.min(d.minimum, d.maximum),
        maximum: d.maximum,
        ...(d.idle !== undefined && { idlePeriodSeconds: d.idle }),
      },
      spoolUp: seconds(d.spoolUp),
      ...(d.jitter !== undefined && { spoolUpJitter: seconds(d.jitter) }),
      ...(d.inferenceTimeout !== undefined && { inferenceTimeout: seconds(d.inferenceTimeout) }),
      ...(d.at > 0 && { at: seconds(d.at) }),
    });
  });
  if (p.deployments.length > 0)
    for (const e of p.deploymentEvents) {
      const target = `pipeline${e.target % p.deployments.length}`;
      const fields =
        e.action === "load"
          ? { rate: e.rate }
          : e.action === "infer"
            ? e.timeout === undefined
              ? {}
              : { timeout: seconds(e.timeout) }
            : e.action === "fail"
              ? { reason: e.unschedulable ? "Unschedulable" : "EngineFailed" }
              : e.action === "wakeUp" && e.taskTimeout !== undefined
                ? { taskTimeout: seconds(e.taskTimeout) }
                : {};
      events.push({ at: seconds(e.at), system: "wallaroo", [e.action]: target, ...fields });
    }
  p.orchestrations.forEach((o, i) => {
    resources.push({
      system: "wallaroo",
      kind: "Orchestration",
      id: `orchestration${i}`,
      files: packages[o.rule],
      packaging: seconds(o.packaging),
      ...(o.packagingFails && { packagingFails: true }),
      ...(o.at > 0 && { at: seconds(o.at) }),
    });
  });
  if (p.orchestrations.length > 0) {
    p.tasks.forEach((t, i) => {
      resources.push({
        system: "wallaroo",
        kind: "Task",
        id: `task${i}`,
        orchestration: `orchestration${t.orchestration % p.orchestrations.length}`,
        type: t.type,
        ...(t.type === "scheduled" && { schedule: t.schedule }),
        ...(t.type !== "continuous" && t.timeout !== undefined && { timeout: seconds(t.timeout) }),
        runs: t.runs.map((r) => ({
          outcome: r.outcome,
          ...(r.outcome !== "hang" && { takes: seconds(r.takes) }),
          ...(r.logs && { logs: ["started"] }),
        })),
        ...(t.at > 0 && { at: seconds(t.at) }),
      });
    });
    if (p.tasks.length > 0)
      for (const k of p.kills)
        events.push({
          at: seconds(k.at),
          system: "wallaroo",
          kill: `task${k.task % p.tasks.length}`,
          ...(k.takes > 0 && { takes: seconds(k.takes) }),
        });
  }
  return { resources, events };
}

/**
 * Wallaroo's part of a random scenario, deployments and tasks (see the module comment).
 *
 * @example
 * ```ts
 * fc.sample(wallarooPart(), 1)[0]?.resources; // [{ system: "wallaroo", kind: "Deployment", id: "pipeline0", ... }]
 * ```
 */
export const wallarooPart = (): fc.Arbitrary<WallarooPart> => plan.map(build);
