import fc from "fast-check";
import { formatDuration } from "../simulator/duration.js";

/**
 * Ray's part of a generated scenario: the queue limits, workflows of steps that take time, raise
 * and retry (or catch their exceptions), and cluster restarts, resumes and cancels. Raw choices are
 * mapped to valid fields, so every shrink stays a valid scenario.
 *
 * @module
 */

/** Ray's part of a scenario as written. */
export interface RayPart {
  readonly ray?: Record<string, unknown>;
  readonly resources: readonly Record<string, unknown>[];
  readonly events: readonly Record<string, unknown>[];
}

const seconds = (s: number) => formatDuration(s * 1000);

const step = fc.record({
  name: fc.constantFrom("extract", "transform", "load", "train"),
  takes: fc.integer({ min: 1, max: 300 }),
  raises: fc.nat(2),
  maxRetries: fc.option(fc.constantFrom(0, 1, 3, -1), { nil: undefined }),
  catchExceptions: fc.boolean(),
});

const event = fc.record({
  at: fc.nat(1800),
  action: fc.constantFrom("restartCluster", "resume", "cancel"),
  target: fc.nat(),
});

const plan = fc.record({
  limits: fc.option(
    fc.record({ maxRunning: fc.constantFrom(-1, 1, 2), maxPending: fc.constantFrom(-1, 0, 1, 2) }),
    { nil: undefined },
  ),
  workflows: fc.array(
    fc.record({
      steps: fc.array(step, { minLength: 1, maxLength: 3 }),
      at: fc.nat(900),
      owner: fc.boolean(),
    }),
    { maxLength: 4 },
  ),
  events: fc.array(event, { maxLength: 4 }),
});

type Plan = typeof plan extends fc.Arbitrary<infer P> ? P : never;

function build(p: Plan): RayPart {
  if (p.workflows.length === 0) return { resources: [], events: [] };
  const resources = p.workflows.map((w, i) => ({
    system: "ray",
    kind: "Workflow",
    id: `workflow${i}`,
    ...(w.owner && { metadata: { owner: "ana" } }),
    steps: w.steps.map((s) => ({
      name: s.name,
      takes: seconds(s.takes),
      ...(s.raises > 0 && { raises: s.raises }),
      ...((s.maxRetries !== undefined || s.catchExceptions) && {
        options: {
          ...(s.maxRetries !== undefined && { max_retries: s.maxRetries }),
          ...(s.catchExceptions && { catch_exceptions: true }),
        },
      }),
    })),
    ...(w.at > 0 && { at: seconds(w.at) }),
  }));
  const events = p.events.map((e) =>
    e.action === "restartCluster"
      ? { at: seconds(e.at), system: "ray", restartCluster: true }
      : { at: seconds(e.at), system: "ray", [e.action]: `workflow${e.target % resources.length}` },
  );
  return { ...(p.limits && { ray: p.limits }), resources, events };
}

/**
 * Ray's part of a random scenario (see the module comment).
 *
 * @example
 * ```ts
 * fc.sample(rayPart(), 1)[0]?.resources; // [{ system: "ray", kind: "Workflow", id: "workflow0", steps: [...] }]
 * ```
 */
export const rayPart = (): fc.Arbitrary<RayPart> => plan.map(build);
