import type { SystemDefinition } from "../catalog/system.js";
import type { Lifecycle } from "../lifecycle/lifecycle.js";
import type { Phase } from "../lifecycle/phase.js";
import {
  type ColumnValue,
  type LifecycleSpec,
  leafReasons,
  type Outcome,
  type StatusSpec,
  sourceOf,
} from "../lifecycle/spec.js";

/** One status in the JSON reference; system-specific columns (e.g. `resourcesAllocated`) are added as fields. */
export interface StatusJson {
  readonly name: string;
  readonly terminal: boolean;
  readonly outcome: Outcome;
  /** The non-empty reasons allowed in this status for this kind. */
  readonly reasons: readonly string[];
  readonly reasonRequired: boolean;
  readonly description: string;
  /** The common phase of the status (added within version 1: statuses always allowed extra fields). */
  readonly phase: Phase;
  /** Why the status is in that phase. */
  readonly phaseRationale: string;
  readonly [column: string]: ColumnValue | readonly string[] | Outcome;
}

/** A status-to-status edge and the event that takes it. */
export interface TransitionJson {
  readonly from: string;
  readonly to: string;
  readonly event: string;
}

/** A leaf-to-leaf step: the reasons on both sides and the reason the event carries. */
export interface ReasonTransitionJson {
  readonly from: { readonly status: string; readonly reason: string | null };
  readonly event: { readonly type: string; readonly reason: string | null };
  readonly to: { readonly status: string; readonly reason: string | null };
}

export interface KindJson {
  readonly name: string;
  readonly family: string | null;
  readonly initial: string;
  readonly initialReason: string | null;
  readonly statuses: readonly StatusJson[];
  readonly transitions: readonly TransitionJson[];
  readonly reasonTransitions: readonly ReasonTransitionJson[];
  readonly events: readonly { readonly name: string; readonly description: string }[];
  readonly notes: readonly string[];
  /**
   * Where each reason comes from (`"seed"`, or a package and version), for kinds that declare
   * sources; each status then carries its own in a `source` field.
   */
  readonly reasonSources?: Readonly<Record<string, string>>;
}

export interface SystemJson {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly kinds: readonly KindJson[];
  readonly choices: readonly string[];
  readonly differences: readonly string[];
  /** Kinds the source declares that have no lifecycle of their own, with what they carry instead. */
  readonly withoutLifecycle?: readonly { readonly kind: string; readonly note: string }[];
}

/** The version of the spec JSON contract; it changes only when a field's meaning changes or one goes. */
export const specJsonVersion = 1;

/**
 * Where the JSON Schema of the spec JSON is published: the file `schema/spec.v1.schema.json` of
 * the `@phasekit/cli` package (the file name carries the contract version).
 */
export const specJsonSchemaUrl = "https://unpkg.com/@phasekit/cli/schema/spec.v1.schema.json";

/**
 * The JSON reference: a public contract, `{ $schema, version: 1, systems: [{ name, kinds: [...] }] }`.
 * A reader checks `version` (see {@link specJsonVersion}) before reading the rest.
 */
export interface SpecJson {
  readonly $schema: typeof specJsonSchemaUrl;
  readonly version: typeof specJsonVersion;
  readonly systems: readonly SystemJson[];
}

const declaresSources = (spec: LifecycleSpec) => spec.source !== undefined || spec.sources !== undefined;

function statusJson(name: string, st: StatusSpec, spec: LifecycleSpec): StatusJson {
  const source = declaresSources(spec) ? { source: sourceOf(spec, "status", name) } : {};
  return {
    name,
    terminal: st.terminal,
    outcome: st.outcome,
    reasons: [...st.reasons],
    reasonRequired: st.reasonRequired,
    description: st.description,
    phase: st.phase,
    phaseRationale: st.phaseRationale,
    ...st.columns,
    ...source,
  };
}

/** Every leaf-to-leaf step of a lifecycle, read from its compiled table. */
export function reasonTransitions(lc: Lifecycle): ReasonTransitionJson[] {
  const out: ReasonTransitionJson[] = [];
  lc.leaves.forEach((from, li) => {
    lc.events.forEach((event, ei) => {
      const to = lc.table[li * lc.events.length + ei]!;
      if (to >= 0) out.push({ from, event, to: lc.leaves[to]! });
    });
  });
  return out;
}

/** The status-to-status edges, one per (from, to, event), in table order. */
export function statusTransitions(lc: Lifecycle): TransitionJson[] {
  const seen = new Set<string>();
  const out: TransitionJson[] = [];
  for (const t of reasonTransitions(lc)) {
    const key = `${t.from.status}\u0000${t.to.status}\u0000${t.event.type}`;
    if (t.from.status === t.to.status && t.from.reason === t.to.reason) continue;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ from: t.from.status, to: t.to.status, event: t.event.type });
  }
  return out;
}

export function kindJson(lc: Lifecycle): KindJson {
  const spec = lc.spec;
  return {
    name: lc.kind,
    family: spec.family ?? null,
    initial: spec.initial.status,
    initialReason: spec.initial.reason,
    statuses: (Object.entries(spec.statuses) as [string, StatusSpec][]).map(([n, st]) =>
      statusJson(n, st, spec as LifecycleSpec),
    ),
    transitions: statusTransitions(lc),
    reasonTransitions: reasonTransitions(lc),
    events: Object.entries(spec.events as Record<string, string>).map(([name, description]) => ({
      name,
      description,
    })),
    notes: [...(spec.notes ?? [])],
    ...(declaresSources(spec as LifecycleSpec)
      ? { reasonSources: reasonSources(spec as LifecycleSpec) }
      : {}),
  };
}

/** Each reason of a spec that declares sources, with its source. */
export function reasonSources(spec: LifecycleSpec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const st of Object.values(spec.statuses))
    for (const r of st.reasons) out[r] ??= sourceOf(spec, "reason", r) ?? "";
  return out;
}

export function systemJson(system: SystemDefinition): SystemJson {
  return {
    name: system.name,
    title: system.title,
    description: system.description,
    kinds: system.lifecycles.map(kindJson),
    choices: [...(system.choices ?? [])],
    differences: [...(system.differences ?? [])],
    ...(system.withoutLifecycle ? { withoutLifecycle: system.withoutLifecycle.map((k) => ({ ...k })) } : {}),
  };
}

/**
 * The JSON reference of the given systems.
 *
 * @example
 * ```ts
 * const json = specJson(catalog.systems);
 * json.version; // 1
 * ```
 */
export function specJson(systems: readonly SystemDefinition[]): SpecJson {
  return { $schema: specJsonSchemaUrl, version: specJsonVersion, systems: systems.map(systemJson) };
}

/** Whether a status may carry no reason, as the reference shows it. */
export const allowsNoReason = (st: StatusSpec) => leafReasons(st).includes(null);
