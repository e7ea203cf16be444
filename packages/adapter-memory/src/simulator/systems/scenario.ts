import { DecodeError, type DecodeIssue, decode, formatPath } from "@phasekit/core";
import type { z } from "zod";
import {
  checkRay,
  type RayLimits,
  type RayScenarioEvent,
  type RayWorkflowSpec,
  rayEvent,
  raySection,
  rayWorkflow,
} from "./ray/scenario.js";
import {
  checkRunai,
  type RunaiJobSpec,
  type RunaiScenarioEvent,
  type RunaiSection,
  runaiEvent,
  runaiJob,
  runaiSection,
} from "./runai/scenario.js";
import { decodeWallarooDeployments } from "./wallaroo-deployment/decode.js";
import type {
  WallarooDeploymentsScenario,
  wallarooDeploymentEvent,
  wallarooDeploymentResource,
} from "./wallaroo-deployment/scenario.js";
import { decodeWallarooTasks } from "./wallaroo-tasks/decode.js";
import {
  isWallarooTasksItem,
  type WallarooTasksScenario,
  type wallarooOrchestrationResource,
  type wallarooTaskEvent,
  type wallarooTaskResource,
} from "./wallaroo-tasks/scenario.js";

/**
 * One scenario file, several systems: each resource and event says its `system` (`dyff`, the
 * default, `runai` or `ray`). This module splits a scenario into its Dyff part, which the Dyff
 * decoder reads as if the others were not there, and the Run:ai and Ray parts, decoded here. Every
 * problem is reported at its path in the file as written (`resources[4].attempts[0].exit`), whatever
 * system it belongs to.
 *
 * @module
 */

/** The systems besides Dyff a scenario can hold. */
export const otherSystems = ["runai", "ray", "wallaroo"] as const;
export type OtherSystem = (typeof otherSystems)[number];

/** The Run:ai and Ray parts of a decoded scenario (null when the scenario has none). */
export interface SystemsScenario {
  readonly runai: {
    readonly section: RunaiSection;
    readonly jobs: readonly RunaiJobSpec[];
    readonly events: readonly RunaiScenarioEvent[];
  } | null;
  readonly ray: {
    readonly limits: RayLimits;
    readonly workflows: readonly RayWorkflowSpec[];
    readonly events: readonly RayScenarioEvent[];
  } | null;
  /** Wallaroo pipeline deployments (`system: wallaroo`), decoded by `wallaroo-deployment/decode.ts`. */
  readonly wallaroo?: WallarooDeploymentsScenario | null;
  /** Wallaroo orchestrations, tasks and kills (`system: wallaroo`), decoded by `wallaroo-tasks/decode.ts`. */
  readonly wallarooTasks?: WallarooTasksScenario | null;
}

type ItemOf<L> = NonNullable<L> extends readonly (infer I)[] ? I : never;

/**
 * A scenario as written, widened to hold every system: `resources` and `events` may also be Run:ai
 * and Ray ones, `runai:` and `ray:` sections may be present, and `accounts` may be left out when
 * the scenario has no Dyff resource.
 */
export type WithSystemsInput<
  T extends { readonly resources?: unknown; readonly events?: unknown; readonly accounts: unknown },
> = Omit<T, "resources" | "events" | "accounts"> & {
  readonly accounts?: T["accounts"];
  readonly resources?: readonly (
    | ItemOf<T["resources"]>
    | z.input<typeof runaiJob>
    | z.input<typeof rayWorkflow>
    | z.input<typeof wallarooDeploymentResource>
    | z.input<typeof wallarooOrchestrationResource>
    | z.input<typeof wallarooTaskResource>
  )[];
  readonly events?: readonly (
    | ItemOf<T["events"]>
    | z.input<typeof runaiEvent>
    | z.input<typeof rayEvent>
    | z.input<typeof wallarooDeploymentEvent>
    | z.input<typeof wallarooTaskEvent>
  )[];
  readonly runai?: z.input<typeof runaiSection>;
  readonly ray?: z.input<typeof raySection>;
};

type Item = { readonly index: number; readonly value: unknown };
type Split = { dyff: Item[]; runai: Item[]; ray: Item[]; wallaroo: Item[] };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const expectedSystem = `one of dyff (the default), ${otherSystems.join(", ")}`;

function split(list: unknown, at: string, issues: DecodeIssue[]): Split {
  const out: Split = { dyff: [], runai: [], ray: [], wallaroo: [] };
  if (!Array.isArray(list)) return out;
  list.forEach((value, index) => {
    const system = isObject(value) ? value.system : undefined;
    if (system === undefined || system === "dyff") out.dyff.push({ index, value });
    else if (system === "runai" || system === "ray" || system === "wallaroo")
      out[system].push({ index, value });
    else issues.push({ path: `${at}[${index}].system`, value: system, expected: expectedSystem });
  });
  return out;
}

/** Moves `resources[k]` / `events[k]` of the Dyff part back to their index in the file. */
function remap(issue: DecodeIssue, resources: Item[], events: Item[]): DecodeIssue {
  const path = issue.path.replace(/^(resources|events)\[(\d+)\]/, (whole, list: string, k: string) => {
    const item = (list === "resources" ? resources : events)[Number(k)];
    return item ? `${list}[${item.index}]` : whole;
  });
  return { ...issue, path };
}

function decodeItems<S extends z.ZodType>(
  schema: S,
  items: Item[],
  list: string,
  subject: string,
  issues: DecodeIssue[],
) {
  const out: { path: PropertyKey[]; value: z.output<S> }[] = [];
  for (const item of items) {
    const decoded = decode(schema, item.value, subject);
    if (decoded instanceof DecodeError)
      issues.push(
        ...decoded.issues.map((i) => ({
          ...i,
          path: `${list}[${item.index}]${i.path === "$" ? "" : i.path.startsWith("[") ? i.path : `.${i.path}`}`,
        })),
      );
    else out.push({ path: [list, item.index], value: decoded });
  }
  return out;
}

function decodeSection<S extends z.ZodType>(
  schema: S,
  input: unknown,
  key: string,
  subject: string,
  issues: DecodeIssue[],
) {
  const decoded = decode(schema, input, subject);
  if (!(decoded instanceof DecodeError)) return decoded;
  issues.push(...decoded.issues.map((i) => ({ ...i, path: i.path === "$" ? key : `${key}.${i.path}` })));
  return undefined;
}

/** A Run:ai job whose kubelet retries forever: without `until`, the run would go on for a simulated year. */
const loopsForever = (job: RunaiJobSpec) =>
  job.pullFailures === "always" || (job.kind === "InteractiveJob" && job.attempts.at(-1)?.runs !== undefined);

/** Ids are unique across systems: the timeline names each job, workflow and resource by its id. */
function checkIds(resources: unknown, issues: DecodeIssue[]): void {
  if (!Array.isArray(resources)) return;
  const first = new Map<unknown, { index: number; system: string }>();
  resources.forEach((r, index) => {
    if (!isObject(r) || typeof r.id !== "string") return;
    const system = typeof r.system === "string" ? r.system : "dyff";
    const seen = first.get(r.id);
    // Two Dyff resources with one id are the Dyff decoder's to report.
    if (seen && (seen.system !== "dyff" || system !== "dyff"))
      issues.push({
        path: `resources[${index}].id`,
        value: r.id,
        expected: `an id not already used by resources[${seen.index}]`,
      });
    if (!seen) first.set(r.id, { index, system });
  });
}

/** A Dyff event (no `system`) that names a Run:ai job or a Ray workflow: say which system it needs. */
function checkDyffEvents(events: Item[], resources: unknown, issues: DecodeIssue[]): void {
  const systemOf = new Map<unknown, string>();
  if (Array.isArray(resources))
    for (const r of resources) if (isObject(r) && typeof r.system === "string") systemOf.set(r.id, r.system);
  for (const { index, value } of events) {
    if (!isObject(value)) continue;
    for (const key of ["fail", "terminate", "delete", "label"]) {
      const system = systemOf.get(value[key]);
      if (system !== undefined && system !== "dyff")
        issues.push({
          path: `events[${index}].system`,
          value: value.system,
          expected: `${system}: ${String(value[key])} is a ${system} resource`,
        });
    }
  }
}

/**
 * Decodes a scenario of several systems: the Dyff part with `decodeDyff` (the Dyff decoder, which
 * never sees the other systems' resources, events or sections), the others here. Returns the Dyff
 * scenario with a `systems` field, or one {@link DecodeError} listing every problem of every system.
 *
 * @example
 * ```ts
 * const s = decodeWithSystems(input, "examples/ray-resume.yaml", (dyff) => decode(scenarioSchema, dyff, "x"));
 * ```
 */
export function decodeWithSystems<S extends object>(
  input: unknown,
  subject: string,
  decodeDyff: (input: unknown) => S | DecodeError,
): (S & { readonly systems: SystemsScenario }) | DecodeError {
  if (!isObject(input)) return decodeDyff(input) as S & { systems: SystemsScenario };
  const issues: DecodeIssue[] = [];
  const resources = split(input.resources, "resources", issues);
  const events = split(input.events, "events", issues);
  const { runai: runaiInput, ray: rayInput, ...rest } = input;
  const dyffInput: Record<string, unknown> = { ...rest };
  if (Array.isArray(input.resources)) dyffInput.resources = resources.dyff.map((i) => i.value);
  if (Array.isArray(input.events)) dyffInput.events = events.dyff.map((i) => i.value);
  if (dyffInput.accounts === undefined && resources.dyff.length === 0 && events.dyff.length === 0)
    dyffInput.accounts = {};
  const dyff = decodeDyff(dyffInput);
  if (dyff instanceof DecodeError)
    issues.push(...dyff.issues.map((i) => remap(i, resources.dyff, events.dyff)));
  checkIds(input.resources, issues);
  checkDyffEvents(events.dyff, input.resources, issues);

  const jobs = decodeItems(runaiJob, resources.runai, "resources", subject, issues);
  const runaiEvents = decodeItems(runaiEvent, events.runai, "events", subject, issues);
  const section =
    runaiInput === undefined
      ? undefined
      : (decodeSection(runaiSection, runaiInput, "runai", subject, issues) ?? null);
  for (const i of checkRunai(
    section,
    jobs.map((j) => ({ path: j.path, job: j.value })),
    runaiEvents.map((e) => ({ path: e.path, event: e.value })),
  ))
    issues.push({ path: formatPath(i.path), value: i.input, expected: i.message });
  if (input.until === undefined) {
    const forever = jobs.find((j) => loopsForever(j.value));
    if (forever)
      issues.push({
        path: "until",
        value: undefined,
        expected: `a time to stop, since ${forever.value.id} never stops retrying (an image that never pulls, or an interactive job that keeps exiting)`,
      });
  }

  const workflows = decodeItems(rayWorkflow, resources.ray, "resources", subject, issues);
  const rayEvents = decodeItems(rayEvent, events.ray, "events", subject, issues);
  const limits = decodeSection(raySection, rayInput ?? {}, "ray", subject, issues);
  for (const i of checkRay(
    workflows.map((w) => ({ path: w.path, workflow: w.value })),
    rayEvents.map((e) => ({ path: e.path, event: e.value })),
  ))
    issues.push({ path: formatPath(i.path), value: i.input, expected: i.message });

  // `system: wallaroo` items go to their engine by kind: Orchestration, Task and kill events to the
  // tasks engine, the rest to the deployment engine. Masking (not removing) keeps the file's indices.
  const mask = (list: unknown) =>
    Array.isArray(list) ? list.map((v: unknown) => (isWallarooTasksItem(v) ? null : v)) : list;
  const wallaroo = decodeWallarooDeployments(
    { resources: mask(input.resources), events: mask(input.events) },
    subject,
  );
  if (wallaroo instanceof DecodeError) issues.push(...wallaroo.issues);
  const wallarooTasks = decodeWallarooTasks(input, subject);
  if (wallarooTasks instanceof DecodeError) issues.push(...wallarooTasks.issues);

  if (
    issues.length > 0 ||
    dyff instanceof DecodeError ||
    wallaroo instanceof DecodeError ||
    wallarooTasks instanceof DecodeError
  )
    return new DecodeError(subject, issues);
  const hasRunai = runaiInput !== undefined || jobs.length > 0 || runaiEvents.length > 0;
  const hasRay = rayInput !== undefined || workflows.length > 0 || rayEvents.length > 0;
  const systems: SystemsScenario = {
    runai:
      hasRunai && section
        ? { section, jobs: jobs.map((j) => j.value), events: runaiEvents.map((e) => e.value) }
        : null,
    ray:
      hasRay && limits
        ? { limits, workflows: workflows.map((w) => w.value), events: rayEvents.map((e) => e.value) }
        : null,
    wallaroo: wallaroo.deployments.length + wallaroo.events.length > 0 ? wallaroo : null,
    wallarooTasks:
      wallarooTasks.orchestrations.length + wallarooTasks.tasks.length + wallarooTasks.events.length > 0
        ? wallarooTasks
        : null,
  };
  return { ...dyff, systems };
}
