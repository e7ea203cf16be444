import type * as z from "zod";
import { decode } from "../../decode.js";
import { DecodeError, type DecodeIssue } from "../../lifecycle/errors.js";
import {
  mpiLauncherLabels,
  type RunaiJobAttributes,
  runaiAttributeKeys,
  runaiJobAttributes,
} from "./attributes.js";
import type { RunaiDecidingField, RunaiObservation } from "./derive.js";
import { type K8sJob, type K8sPod, type K8sRunaiObject, k8sJob, k8sPod, k8sRef } from "./kubernetes.js";
import { runaiMarkOf, runaiWorkloadKinds } from "./marks.js";

const listKinds = ["List", "PodList", "JobList"];
const expectedDocument = "a Pod (v1), a Job (batch/v1), or a List, PodList or JobList of them";

function decodeObject(input: unknown, path: string, subject: string): K8sRunaiObject | DecodeIssue[] {
  const kind = (input as { kind?: unknown } | null)?.kind;
  const schema: z.ZodType<K8sRunaiObject> | undefined =
    kind === "Pod" ? k8sPod : kind === "Job" ? k8sJob : undefined;
  if (schema === undefined)
    return [{ path: path ? `${path}.kind` : "kind", value: kind, expected: "Pod or Job" }];
  const decoded = decode(schema, input, subject);
  if (!(decoded instanceof DecodeError)) return decoded;
  return decoded.issues.map((i) => ({
    ...i,
    path: path ? (i.path === "$" ? path : `${path}.${i.path}`) : i.path,
  }));
}

/**
 * Decodes a file's content (already parsed from JSON or YAML) into Pods and Jobs, or a
 * {@link DecodeError} that names `subject` (the file), each bad path, its value and what was expected.
 *
 * @example
 * ```ts
 * const objects = decodeRunaiObjects(JSON.parse(text), "pod.json");
 * if (objects instanceof DecodeError) console.error(objects.message);
 * ```
 */
export function decodeRunaiObjects(input: unknown, subject: string): K8sRunaiObject[] | DecodeError {
  if (input === null || typeof input !== "object" || Array.isArray(input))
    return new DecodeError(subject, [{ path: "$", value: input, expected: expectedDocument }]);
  const kind = (input as { kind?: unknown }).kind;
  if (typeof kind === "string" && listKinds.includes(kind)) {
    const items = (input as { items?: unknown }).items;
    if (!Array.isArray(items))
      return new DecodeError(subject, [
        { path: "items", value: items, expected: "an array of Pods and Jobs" },
      ]);
    const objects: K8sRunaiObject[] = [];
    const issues: DecodeIssue[] = [];
    items.forEach((item, i) => {
      const o = decodeObject(item, `items[${i}]`, subject);
      if (Array.isArray(o)) issues.push(...o);
      else objects.push(o);
    });
    return issues.length > 0 ? new DecodeError(subject, issues) : objects;
  }
  if (kind !== "Pod" && kind !== "Job")
    return new DecodeError(subject, [
      { path: "kind", value: kind, expected: `one of Pod, Job, ${listKinds.join(", ")}` },
    ]);
  const o = decodeObject(input, "", subject);
  return Array.isArray(o) ? new DecodeError(subject, o) : [o];
}

const runaiOwnerKinds = new Set([...Object.keys(runaiWorkloadKinds), "RunaiJob"]);

/**
 * The job a pod belongs to, as `Kind/name`: the Job that owns it (owner reference, or the Job
 * controller's labels), else the Run:ai resource that owns it (`RunaiJob`, `TrainingWorkload`...);
 * `undefined` for a pod of neither.
 *
 * @example
 * ```ts
 * runaiOwnerOf(pod); // "Job/train-1", "RunaiJob/dev" or undefined
 * ```
 */
export function runaiOwnerOf(pod: K8sPod): string | undefined {
  const refs = pod.metadata.ownerReferences ?? [];
  const job =
    refs.find((r) => r.kind === "Job")?.name ??
    pod.metadata.labels?.["batch.kubernetes.io/job-name"] ??
    pod.metadata.labels?.["job-name"];
  if (job !== undefined) return `Job/${job}`;
  const runai = refs.find((r) => r.apiVersion.startsWith("run.ai/") && runaiOwnerKinds.has(r.kind));
  return runai ? `${runai.kind}/${runai.name}` : undefined;
}

/** Run:ai's own marks on a group's objects (see `marks.ts`). */
const markOf = (members: readonly K8sRunaiObject[]) =>
  runaiMarkOf(
    members.map((o) => ({
      ref: k8sRef(o),
      metadata: o.metadata,
      priorityClassName: o.kind === "Pod" ? o.spec.priorityClassName : undefined,
    })),
  );

/** Reads one attribute from annotations, then labels, of the given objects (first found wins). */
function attribute(objects: readonly K8sRunaiObject[], key: string) {
  for (const o of objects) {
    for (const where of ["annotations", "labels"] as const) {
      const value = o.metadata[where]?.[key];
      const field = `metadata.${where}["${key}"]`;
      if (value !== undefined) return { value, object: k8sRef(o), field, path: `${k8sRef(o)} ${field}` };
    }
  }
  return undefined;
}

type Parsed<T> = T | undefined | DecodeIssue;

function parseAttr<T>(
  objects: readonly K8sRunaiObject[],
  key: string,
  expected: string,
  parse: (s: string) => T | undefined,
): Parsed<T> {
  const found = attribute(objects, key);
  if (found === undefined) return undefined;
  const parsed = parse(found.value);
  return parsed === undefined ? { path: found.path, value: found.value, expected } : parsed;
}

const bool = (s: string) => (s === "true" ? true : s === "false" ? false : undefined);
const count = (s: string) => (/^\d+$/.test(s) ? Number(s) : undefined);
const jobType = (s: string) => (["training", "interactive", "distributed"] as const).find((t) => t === s);
const isIssue = (v: unknown): v is DecodeIssue => typeof v === "object" && v !== null && "expected" in v;

/** Where a job's type was read: the object, the field and its value (`flags` for `--type`). */
export type RunaiTypeSource = Omit<RunaiDecidingField, "rule">;

/** One job of a file: its name (`Job/<name>`, `RunaiJob/<name>`, `Pod/<name>`), what the derivation reads, and where its type came from. */
export interface RunaiObservationGroup {
  readonly subject: string;
  readonly observation: RunaiObservation;
  readonly typeFrom: RunaiTypeSource;
}

type Group = { readonly job?: K8sJob; readonly pods: readonly K8sPod[]; readonly owned: boolean };

/**
 * A group's job type, first found wins: the flag, phasekit's own attribute, Run:ai's marks (its
 * workload owner kinds, then its priority classes), an MPI launcher label (distributed), a Job or a
 * Run:ai owner (training).
 */
function typeOf(
  key: string,
  g: Group,
  members: readonly K8sRunaiObject[],
  flag: RunaiJobAttributes["type"] | undefined,
  annotated: RunaiJobAttributes["type"] | undefined,
): { type: RunaiJobAttributes["type"]; preemptible?: boolean; from: RunaiTypeSource } | undefined {
  if (flag !== undefined) return { type: flag, from: { object: "flags", field: "--type", value: flag } };
  if (annotated !== undefined) {
    const at = attribute(members, runaiAttributeKeys.type)!;
    return { type: annotated, from: { object: at.object, field: at.field, value: at.value } };
  }
  const mark = markOf(members);
  if (mark !== undefined)
    return {
      type: mark.type,
      ...(mark.preemptible === undefined ? {} : { preemptible: mark.preemptible }),
      from: { object: mark.object, field: mark.field, value: mark.value },
    };
  for (const p of g.pods)
    for (const [label, value] of Object.entries(mpiLauncherLabels))
      if (p.metadata.labels?.[label] === value)
        return {
          type: "distributed",
          from: { object: k8sRef(p), field: `metadata.labels["${label}"]`, value },
        };
  if (!g.owned) return undefined;
  return { type: "training", from: { object: key, field: "kind", value: key.split("/")[0]! } };
}

/**
 * Groups decoded objects into one observation per job: a Job with the pods it owns (owner reference
 * or `job-name` label), pods owned by the same absent Job together, and every other pod alone. The
 * Run:ai attributes come from `overrides` (the CLI's flags), then the objects' annotations, then
 * their labels (keys in {@link runaiAttributeKeys}); a Job's `spec.backoffLimit` and `status.failed`
 * fill backoffLimit and retries. Without a type, Run:ai's own marks decide (an owner reference to its
 * workload kinds, then its priority class: `marks.ts`), then an MPI launcher label (distributed),
 * then a Job or a Run:ai owner (training); a lone pod with no type is an error. Pods owned by a Run:ai
 * resource (`RunaiJob`, `TrainingWorkload`...) and no Job are grouped by that owner.
 *
 * @example
 * ```ts
 * const groups = runaiObservations(objects, "pods.yaml", { type: "interactive" });
 * if (!(groups instanceof DecodeError)) for (const g of groups) deriveRunaiStatus(g.observation);
 * ```
 */
export function runaiObservations(
  objects: readonly K8sRunaiObject[],
  subject: string,
  overrides: Partial<RunaiJobAttributes> = {},
): RunaiObservationGroup[] | DecodeError {
  const jobs = objects.filter((o): o is K8sJob => o.kind === "Job");
  const pods = objects.filter((o): o is K8sPod => o.kind === "Pod");
  const groups = new Map<string, { job?: K8sJob; pods: K8sPod[]; owned: boolean }>();
  for (const job of jobs) groups.set(`Job/${job.metadata.name}`, { job, pods: [], owned: true });
  for (const pod of pods) {
    const owner = runaiOwnerOf(pod);
    const key = owner ?? k8sRef(pod);
    const group = groups.get(key) ?? { pods: [], owned: owner !== undefined };
    group.pods.push(pod);
    groups.set(key, group);
  }
  const out: RunaiObservationGroup[] = [];
  const issues: DecodeIssue[] = [];
  for (const [key, g] of groups) {
    const members: K8sRunaiObject[] = [...(g.job ? [g.job] : []), ...g.pods];
    const k = runaiAttributeKeys;
    const type =
      overrides.type ?? parseAttr(members, k.type, "training, interactive or distributed", jobType);
    const preemptible = overrides.preemptible ?? parseAttr(members, k.preemptible, '"true" or "false"', bool);
    const running =
      overrides.schedulerRunning ?? parseAttr(members, k.schedulerRunning, '"true" or "false"', bool);
    const limit =
      overrides.backoffLimit ??
      g.job?.spec.backoffLimit ??
      parseAttr(members, k.backoffLimit, "a count", count);
    const retries =
      overrides.retries ?? parseAttr(members, k.retries, "a count", count) ?? g.job?.status?.failed;
    const found = [type, preemptible, running, limit, retries].filter(isIssue);
    if (found.length > 0) {
      issues.push(...found);
      continue;
    }
    const typed = typeOf(key, g, members, overrides.type, type as RunaiJobAttributes["type"] | undefined);
    if (typed === undefined) {
      issues.push({
        path: `${key} metadata.annotations["${k.type}"]`,
        value: undefined,
        expected:
          "training, interactive or distributed (or the --type flag): this pod has no Run:ai owner reference (TrainingWorkload, InteractiveWorkload, DistributedWorkload, RunaiJob), no Run:ai priority class (train, build, interactive-preemptible) and no Job, so nothing says its job type",
      });
      continue;
    }
    const marked = typed.preemptible;
    const attributes = runaiJobAttributes.parse({
      type: typed.type,
      ...(preemptible === undefined
        ? marked === undefined
          ? {}
          : { preemptible: marked }
        : { preemptible }),
      ...(running === undefined ? {} : { schedulerRunning: running }),
      ...(limit == null ? {} : { backoffLimit: limit }),
      ...(retries == null ? {} : { retries }),
    });
    out.push({
      subject: key,
      observation: { ...(g.job ? { job: g.job } : {}), pods: g.pods, attributes },
      typeFrom: typed.from,
    });
  }
  return issues.length > 0 ? new DecodeError(subject, issues) : out;
}
