import { catalog } from "../catalog/catalog.js";
import { DecodeError } from "../lifecycle/errors.js";
import type { Leaf, Lifecycle } from "../lifecycle/lifecycle.js";
import { leafReasons, type StatusSpec } from "../lifecycle/spec.js";
import { INIT_PROGRESS } from "../systems/runai/statuses.js";
import { type Reachability, reachability } from "./closure.js";
import type {
  ConformReport,
  ConformStep,
  ConformTotals,
  EntitySummary,
  Observation,
  Verdict,
  Violation,
  ViolationType,
} from "./types.js";
import { violationTypes } from "./types.js";

const runaiInitProgress = /^Init:\d+\/\d+$/;

/**
 * The machine's status for what an observer displays: Run:ai shows init progress with its counts
 * (`Init:1/2`), the machine has one status for it (`Init:<done>/<total>`).
 */
function machineStatus(system: string, status: string): string {
  return system === "runai" && runaiInitProgress.test(status) ? INIT_PROGRESS : status;
}

/** Where an entity is: a leaf index, or UNKNOWN after an observation that named no leaf of its kind. */
const UNKNOWN = -1;

/** Per kind: its lifecycle, closure, initial leaf and entities. */
interface KindState {
  readonly lifecycle: Lifecycle;
  readonly closure: Reachability;
  readonly initial: number;
  readonly entities: Map<string, EntityState>;
}

/** Per entity: only what judging the next observation and the summary need (memory grows with entities). */
class EntityState {
  leaf = UNKNOWN;
  /**
   * The last status and reason, only when they name no leaf (else `leaf` says it). Storing the
   * observation's fresh strings in every long-lived entity would make each record an old-to-young
   * pointer for the garbage collector to track.
   */
  odd: Leaf | undefined = undefined;
  /** The latest time seen, as a number; NaN before any. */
  time = Number.NaN;
  observations = 0;
  legal = 0;
  unseen = 0;
  repeats = 0;
  violations = 0;
  constructor(
    readonly system: string,
    readonly kind: string,
    readonly id: string,
    readonly lifecycle: Lifecycle,
  ) {}

  get last(): Leaf {
    return this.leaf === UNKNOWN ? this.odd! : this.lifecycle.leaves[this.leaf]!;
  }
}

/** Resolves a system and kind to its lifecycle (default: the catalog). */
export type LifecycleLookup = (system: string, kind: string) => Lifecycle | DecodeError;

/** Shared by every verdict without a path or violations: most verdicts allocate nothing but themselves. */
const NONE: readonly never[] = Object.freeze([]);
const subjectOf = (o: Observation) => o.where ?? (o.line === undefined ? nameOf(o) : `line ${o.line}`);
const nameOf = (o: Observation) => `${o.system}/${o.kind} ${o.id}`;
const whenOf = (o: Observation) => (o.at === null || o.at === undefined ? "" : ` at ${o.at}`);

const leafText = (l: Leaf | { status: string; reason: string | null }) =>
  l.reason === null ? l.status : `${l.status}/${l.reason}`;
const leavesText = (ls: readonly Leaf[]) => (ls.length === 0 ? "nothing" : ls.map(leafText).join(", "));

/** Turns `at` into a comparable number: RFC 3339 text by Date.parse, numbers as they are. */
function timeOf(at: string | number | null | undefined): number | undefined {
  if (at === null || at === undefined) return Number.NaN;
  if (typeof at === "number") return Number.isFinite(at) ? at : undefined;
  const t = Date.parse(at);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Judges observed histories one observation at a time, keeping per entity only where it is and when
 * it was last seen: feed a stream of any length, memory grows with the number of entities. Each
 * observation gets a {@link Verdict}; {@link Conformance.report} sums them up.
 *
 * @example
 * ```ts
 * import { Conformance } from "@phasekit/core";
 * const c = new Conformance();
 * c.observe({ system: "dyff", kind: "Evaluation", id: "e1", status: "Created", reason: null, at: "2026-01-01T00:00:00Z" });
 * const v = c.observe({ system: "dyff", kind: "Evaluation", id: "e1", status: "Complete", reason: null, at: "2026-01-01T00:10:00Z" });
 * v; // { step: "unseen", path: [Admitted, Complete], ... }
 * c.report().ok; // true
 * ```
 */
export class Conformance {
  private readonly kinds = new Map<string, Map<string, KindState>>();
  private readonly order: EntityState[] = [];
  private readonly bad: Verdict[] = [];
  private readonly byType = Object.fromEntries(violationTypes.map((t) => [t, 0])) as Record<
    ViolationType,
    number
  >;
  private count = 0;

  constructor(private readonly lookup: LifecycleLookup = (s, k) => catalog.lifecycle(s, k)) {}

  /** The last kind looked up: histories come in runs of one kind, and a Map lookup hashes the name each time. */
  private lastSystem = "";
  private lastKind = "";
  private last: KindState | undefined;

  private kindState(system: string, kind: string): KindState | DecodeError {
    if (this.last !== undefined && kind === this.lastKind && system === this.lastSystem) return this.last;
    let bySystem = this.kinds.get(system);
    if (bySystem === undefined) this.kinds.set(system, (bySystem = new Map()));
    let state = bySystem.get(kind);
    if (state === undefined) {
      const lifecycle = this.lookup(system, kind);
      if (lifecycle instanceof DecodeError) return lifecycle;
      const initial = lifecycle.leafOf(lifecycle.spec.initial.status, lifecycle.spec.initial.reason)!;
      state = { lifecycle, closure: reachability(lifecycle), initial, entities: new Map() };
      bySystem.set(kind, state);
    }
    this.lastSystem = system;
    this.lastKind = kind;
    this.last = state;
    return state;
  }

  /**
   * Judges one observation against what was seen before for the same entity. Returns a
   * {@link DecodeError} (and changes nothing) when the system or kind is unknown or `at` is not a time.
   */
  observe(o: Observation): Verdict | DecodeError {
    return this.judge(o, true) as Verdict | DecodeError;
  }

  /**
   * {@link Conformance.observe} for a stream where only what is worth showing matters: the same
   * judgement and the same report, but a legal step or a repeat returns just `"legal"` or `"repeat"`
   * (no verdict object is built), while an unseen path or a violation returns its {@link Verdict}.
   *
   * @example
   * ```ts
   * const v = c.check(observation);
   * if (typeof v === "object" && !(v instanceof DecodeError)) console.log(v.step, v.path);
   * ```
   */
  check(o: Observation): Verdict | "legal" | "repeat" | DecodeError {
    return this.judge(o, false);
  }

  private judge(o: Observation, full: boolean): Verdict | "legal" | "repeat" | DecodeError {
    const ks = this.kindState(o.system, o.kind);
    if (ks instanceof DecodeError) return new DecodeError(subjectOf(o), ks.issues);
    const time = timeOf(o.at);
    if (time === undefined)
      return new DecodeError(subjectOf(o), [
        { path: "at", value: o.at, expected: "an RFC 3339 time or a finite number" },
      ]);
    const lc = ks.lifecycle;
    let e = ks.entities.get(o.id);
    if (e === undefined) {
      e = new EntityState(o.system, o.kind, o.id, lc);
      ks.entities.set(o.id, e);
      this.order.push(e);
    }
    const first = e.observations === 0;
    const fromLeaf = first ? ks.initial : e.leaf;
    const status = machineStatus(o.system, o.status);
    const to = lc.leafOf(status, o.reason);
    let violations: Violation[] | undefined;
    let step: ConformStep = "legal";
    let path: readonly Leaf[] = NONE;
    const from = fromLeaf === UNKNOWN ? null : lc.leaves[fromLeaf]!;
    if (!Number.isNaN(time) && time < e.time)
      (violations ??= []).push({
        type: "time-backwards",
        message: `${nameOf(o)}: ${leafText(o)}${whenOf(o)} is older than an earlier observation of it`,
        allowed: [],
      });
    if (to === undefined) {
      const spec = lc.spec.statuses[status] as StatusSpec | undefined;
      (violations ??= []).push(
        spec === undefined
          ? {
              type: "unknown-status",
              message: `${nameOf(o)}: status ${o.status}${whenOf(o)} is not a status of ${o.system}/${o.kind}; its statuses: ${Object.keys(lc.spec.statuses).join(", ")}`,
              allowed: [],
            }
          : {
              type: "reason-not-allowed",
              message: `${nameOf(o)}: reason ${o.reason ?? "null"}${whenOf(o)} is not allowed in ${o.status}; ${o.status} allows: ${leafReasons(
                spec,
              )
                .map((r) => r ?? "null")
                .join(", ")}`,
              allowed: [],
            },
      );
    } else if (fromLeaf === UNKNOWN) {
      // After an observation that named no leaf, only "reachable at all" can be checked.
      if (!ks.closure.reachable(ks.initial, to)) (violations ??= []).push(this.unreachableFirst(ks, o));
    } else if (to === fromLeaf) {
      step = first ? "legal" : "repeat";
    } else {
      const d = ks.closure.distance(fromLeaf, to);
      if (d === 1) step = "legal";
      else if (d > 1) {
        step = "unseen";
        path = ks.closure.path(fromLeaf, to)!;
      } else if (first) (violations ??= []).push(this.unreachableFirst(ks, o));
      else {
        const terminal = lc.spec.statuses[from!.status]!.terminal;
        const allowed = ks.closure.next(fromLeaf);
        (violations ??= []).push({
          type: terminal ? "after-terminal" : "no-path",
          message: terminal
            ? `${nameOf(o)}: changed from the terminal status ${leafText(from!)} to ${leafText(o)}${whenOf(o)}; the spec allows from there: ${leavesText(allowed)}`
            : `${nameOf(o)}: no path from ${leafText(from!)} to ${leafText(o)}${whenOf(o)}; the spec allows from there: ${leavesText(allowed)}`,
          allowed,
        });
      }
    }
    if (violations !== undefined) step = "violation";
    e.observations++;
    if (!(time <= e.time)) e.time = time;
    e.leaf = to ?? UNKNOWN;
    if (to === undefined) e.odd = { status, reason: o.reason };
    this.count++;
    if (step === "legal") e.legal++;
    else if (step === "unseen") e.unseen++;
    else if (step === "repeat") e.repeats++;
    if (!full && (step === "legal" || step === "repeat")) return step;
    const verdict: Verdict = {
      system: o.system,
      kind: o.kind,
      id: o.id,
      index: e.observations - 1,
      at: o.at ?? null,
      where: o.where,
      line: o.line,
      from,
      to: to === undefined || status !== o.status ? { status: o.status, reason: o.reason } : lc.leaves[to]!,
      step,
      path,
      violations: violations ?? NONE,
    };
    if (violations !== undefined) {
      e.violations++;
      for (const v of violations) this.byType[v.type]++;
      this.bad.push(verdict);
    }
    return verdict;
  }

  private unreachableFirst(ks: KindState, o: Observation): Violation {
    const initial = ks.lifecycle.leaves[ks.initial]!;
    return {
      type: "unreachable-first",
      message: `${nameOf(o)}: first seen in ${leafText(o)}${whenOf(o)}, which the initial status ${leafText(initial)} cannot reach`,
      allowed: ks.closure.next(ks.initial),
    };
  }

  /** The number of entities seen so far. */
  get entityCount(): number {
    return this.order.length;
  }

  /** The summary so far: per entity, in order of first observation, and in total. */
  report(): ConformReport {
    const entities: EntitySummary[] = this.order.map((e) => ({
      system: e.system,
      kind: e.kind,
      id: e.id,
      observations: e.observations,
      legal: e.legal,
      unseen: e.unseen,
      repeats: e.repeats,
      violations: e.violations,
      last: e.last,
    }));
    const sum = (f: (e: EntityState) => number) => this.order.reduce((n, e) => n + f(e), 0);
    const totals: ConformTotals = {
      entities: this.order.length,
      observations: this.count,
      legal: sum((e) => e.legal),
      unseen: sum((e) => e.unseen),
      repeats: sum((e) => e.repeats),
      violations: this.bad.length,
      byType: { ...this.byType },
    };
    return { ok: this.bad.length === 0, totals, entities, violations: [...this.bad] };
  }
}
