import {
  DecodeError,
  decodeRunaiObjects,
  deriveRunaiStatus,
  type Observation,
  type RunaiJobAttributes,
  runaiObservations,
  runaiOwnerOf,
} from "@phasekit/core";
import { ReadError } from "./split.js";

type K8sRunaiObject = Exclude<ReturnType<typeof decodeRunaiObjects>, DecodeError>[number];

const watchTypes = ["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"];

/** The latest time an object shows: created, started, a condition's or a container's change, deleted. */
function latestTime(o: K8sRunaiObject): number {
  const times: (string | null | undefined)[] = [o.metadata.creationTimestamp, o.metadata.deletionTimestamp];
  const status = o.status as Record<string, unknown> | null | undefined;
  if (status) {
    times.push(status.startTime as string | undefined, status.completionTime as string | undefined);
    for (const c of (status.conditions as { lastTransitionTime?: string }[] | undefined) ?? [])
      times.push(c.lastTransitionTime);
    for (const list of ["initContainerStatuses", "containerStatuses"]) {
      for (const cs of (status[list] as { state?: Record<string, Record<string, string>> }[] | undefined) ??
        []) {
        times.push(
          cs.state?.running?.startedAt,
          cs.state?.terminated?.startedAt,
          cs.state?.terminated?.finishedAt,
        );
      }
    }
  }
  let max = Number.NaN;
  for (const t of times) {
    const ms = typeof t === "string" ? Date.parse(t) : Number.NaN;
    if (!(ms <= max)) max = Number.isNaN(ms) ? max : ms;
  }
  return max;
}

/** A pod's job as `Kind/name` (its Job, else its Run:ai owner such as a RunaiJob), as explain groups it. */
const ownerJob = (o: K8sRunaiObject) => (o.kind === "Pod" ? runaiOwnerOf(o) : undefined);

/**
 * Reads a Kubernetes watch of Pods and Jobs (`kubectl get pods -w -o json`: whole objects; or the
 * API's watch events `{"type", "object"}`), keeps the latest of each object, and after every change
 * derives the Run:ai status of the job it belongs to, exactly as `explain runai` does (the job type
 * from the flags, else the objects' annotations and labels, else a Job means training). The job
 * (`<namespace>/<name>` of the Job, or of a lone pod) is the entity; its time is the latest
 * timestamp its objects show, never going back (a watch carries no event time of its own).
 * Memory: the latest objects of live jobs.
 */
export class KubernetesReader {
  private readonly objects = new Map<string, K8sRunaiObject>();
  private readonly groups = new Map<string, Set<string>>();
  private readonly times = new Map<string, number>();

  constructor(
    private readonly overrides: Partial<RunaiJobAttributes>,
    private readonly emit: (o: Observation) => void,
  ) {}

  json(v: unknown, line: number): void {
    let object = v;
    let deleted = false;
    if (typeof v === "object" && v !== null && "type" in v && "object" in v) {
      const type = (v as { type: unknown }).type;
      if (typeof type !== "string" || !watchTypes.includes(type))
        throw new ReadError(line, "type", JSON.stringify(type), `one of ${watchTypes.join(", ")}`);
      if (type === "BOOKMARK") return;
      if (type === "ERROR")
        throw new ReadError(
          line,
          "object",
          JSON.stringify((v as { object: unknown }).object),
          "a watch event, not an ERROR",
        );
      deleted = type === "DELETED";
      object = (v as { object: unknown }).object;
    }
    const decoded = decodeRunaiObjects(object, `line ${line}`);
    if (decoded instanceof DecodeError) {
      const i = decoded.issues[0]!;
      throw new ReadError(line, i.path, JSON.stringify(i.value) ?? "nothing", i.expected);
    }
    for (const o of decoded) this.update(o, deleted, line);
  }

  private update(o: K8sRunaiObject, deleted: boolean, line: number): void {
    const ns = o.metadata.namespace ?? "default";
    const key = `${o.kind}/${ns}/${o.metadata.name}`;
    const owner = ownerJob(o);
    const slash = owner?.indexOf("/") ?? -1;
    const group = owner !== undefined ? `${owner.slice(0, slash)}/${ns}/${owner.slice(slash + 1)}` : key;
    const before = this.times.get(group) ?? Number.NaN;
    const shown = latestTime(o);
    const time = Number.isNaN(before) ? shown : Number.isNaN(shown) ? before : Math.max(before, shown);
    if (Number.isFinite(time)) this.times.set(group, time);
    const current =
      deleted && !o.metadata.deletionTimestamp
        ? ({
            ...o,
            metadata: {
              ...o.metadata,
              deletionTimestamp: Number.isFinite(time)
                ? new Date(time).toISOString()
                : "1970-01-01T00:00:00Z",
            },
          } as K8sRunaiObject)
        : o;
    this.objects.set(key, current);
    let members = this.groups.get(group);
    if (members === undefined) this.groups.set(group, (members = new Set()));
    members.add(key);
    const objects = [...members].map((k) => this.objects.get(k)!);
    const observed = runaiObservations(objects, `line ${line}`, this.overrides);
    if (deleted) {
      this.objects.delete(key);
      members.delete(key);
      if (members.size === 0) {
        this.groups.delete(group);
        this.times.delete(group);
      }
    }
    if (observed instanceof DecodeError) {
      const i = observed.issues[0]!;
      throw new ReadError(line, i.path, JSON.stringify(i.value) ?? "nothing", i.expected);
    }
    for (const g of observed) {
      const d = deriveRunaiStatus(g.observation);
      this.emit({
        system: "runai",
        kind: d.kind,
        id: group.slice(group.indexOf("/") + 1),
        status: d.status,
        reason: d.reason,
        at: Number.isFinite(time) ? new Date(time).toISOString() : null,
        where: `line ${line} (${d.decidedBy.object} ${d.decidedBy.field} = ${JSON.stringify(d.decidedBy.value)})`,
      });
    }
  }
}
