import { catalog } from "../catalog/catalog.js";
import { DecodeError } from "../lifecycle/errors.js";
import type { Leaf, Lifecycle } from "../lifecycle/lifecycle.js";
import { leafReasons, type StatusSpec } from "../lifecycle/spec.js";
import { type Reachability, reachability } from "./closure.js";
import { Entities, LEAF, LEGAL, OBSERVATIONS, REPEATS, TIME, UNSEEN, VIOLATIONS, WIDTH } from "./entities.js";
import type {
  ConformReport,
  ConformStep,
  ConformTotals,
  EntitySummary,
  Observation,
  Verdict,
  Violation,
  ViolationSample,
  ViolationType,
} from "./types.js";
import { violationTypes } from "./types.js";
import { leafText, leavesText, machineStatus, nameOf, subjectOf, timeOf, whenOf } from "./words.js";

/** Where an entity is: a leaf index, or UNKNOWN after an observation that named no leaf of its kind. */
const UNKNOWN = -1;

/** Per kind: its lifecycle, closure, initial leaf and entities. */
interface KindState {
  readonly system: string;
  readonly kind: string;
  readonly lifecycle: Lifecycle;
  readonly closure: Reachability;
  readonly initial: number;
  /** Only what judging the next observation and the summary need: memory grows with the entities. */
  readonly entities: Entities;
  /**
   * The last status and reason of an entity whose last observation named no leaf (its row's leaf is
   * UNKNOWN). Storing every observation's fresh strings in long-lived entities would make each record
   * an old-to-young pointer for the garbage collector to track; these are the exceptions.
   */
  readonly odd: Map<number, Leaf>;
}

/** Resolves a system and kind to its lifecycle (default: the catalog). */
export type LifecycleLookup = (system: string, kind: string) => Lifecycle | DecodeError;

/** Shared by every verdict without a path or violations: most verdicts allocate nothing but themselves. */
const NONE: readonly never[] = Object.freeze([]);
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
  /** Every entity in order of first observation: its kind, and its index among the kind's entities. */
  private readonly orderKind: KindState[] = [];
  private readonly orderIndex: number[] = [];
  /** The sample of violating verdicts the report shows (see {@link ViolationSample}). */
  private readonly bad: Verdict[] = [];
  private readonly perEntity: number;
  private readonly total: number;
  /** Observations with a violation, kept or not. */
  private violating = 0;
  private readonly byType = Object.fromEntries(violationTypes.map((t) => [t, 0])) as Record<
    ViolationType,
    number
  >;
  private count = 0;

  constructor(
    private readonly lookup: LifecycleLookup = (s, k) => catalog.lifecycle(s, k),
    sample: ViolationSample = {},
  ) {
    this.perEntity = sample.perEntity ?? 10;
    this.total = sample.total ?? 1000;
  }

  /** The lifecycle of a system's kind, as this judge looks it up (a reader may use its leaves). */
  lifecycle(system: string, kind: string): Lifecycle | DecodeError {
    const ks = this.kindState(system, kind);
    return ks instanceof DecodeError ? ks : ks.lifecycle;
  }

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
      state = {
        system,
        kind,
        lifecycle,
        closure: reachability(lifecycle),
        initial,
        entities: new Entities(),
        odd: new Map(),
      };
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

  /**
   * The common case of {@link Conformance.check}, for a reader that decodes its own input and has
   * found the leaf itself (`lifecycle(system, kind).leafOf(status, reason)`); `time` is a finite
   * number, or NaN when the observation has none. When the observation is a legal direct step or a
   * repeat, it is counted exactly as `check` would count it, and `"legal"` or `"repeat"` is returned.
   * Anything else (an unknown kind, a path through unseen statuses, a violation) returns `undefined`
   * and changes nothing: call `check` with the whole observation for its verdict.
   *
   * @example
   * ```ts
   * const admitted = (c.lifecycle("dyff", "Evaluation") as Lifecycle).leafOf("Admitted", null)!;
   * c.checkLeaf("dyff", "Evaluation", "e1", admitted, 17) ?? c.check(observation);
   * ```
   */
  checkLeaf(
    system: string,
    kind: string,
    id: string,
    leaf: number,
    time: number,
  ): "legal" | "repeat" | undefined {
    const ks = this.kindState(system, kind);
    if (ks instanceof DecodeError) return undefined;
    const entities = ks.entities;
    let i = entities.find(id);
    let step: "legal" | "repeat";
    if (i < 0) {
      if (leaf !== ks.initial && ks.closure.distance(ks.initial, leaf) !== 1) return undefined;
      i = this.add(ks, id);
      step = "legal";
    } else {
      const r = i * WIDTH;
      const from = entities.rows[r + LEAF]!;
      if (from === UNKNOWN || time < entities.rows[r + TIME]!) return undefined;
      if (leaf === from) step = entities.rows[r + OBSERVATIONS] === 0 ? "legal" : "repeat";
      else if (ks.closure.distance(from, leaf) === 1) step = "legal";
      else return undefined;
    }
    const rows = entities.rows;
    const r = i * WIDTH;
    rows[r + OBSERVATIONS]!++;
    if (!(time <= rows[r + TIME]!)) rows[r + TIME] = time;
    rows[r + LEAF] = leaf;
    this.count++;
    rows[r + (step === "legal" ? LEGAL : REPEATS)]!++;
    return step;
  }

  private add(ks: KindState, id: string): number {
    const i = ks.entities.add(id);
    this.orderKind.push(ks);
    this.orderIndex.push(i);
    return i;
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
    let i = ks.entities.find(o.id);
    if (i < 0) i = this.add(ks, o.id);
    const rows = ks.entities.rows;
    const r = i * WIDTH;
    const first = rows[r + OBSERVATIONS] === 0;
    const fromLeaf = first ? ks.initial : rows[r + LEAF]!;
    const status = machineStatus(o.system, o.status);
    const to = lc.leafOf(status, o.reason);
    let violations: Violation[] | undefined;
    let step: ConformStep = "legal";
    let path: readonly Leaf[] = NONE;
    const from = fromLeaf === UNKNOWN ? null : lc.leaves[fromLeaf]!;
    if (!Number.isNaN(time) && time < rows[r + TIME]!)
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
    rows[r + OBSERVATIONS]!++;
    if (!(time <= rows[r + TIME]!)) rows[r + TIME] = time;
    rows[r + LEAF] = to ?? UNKNOWN;
    if (to === undefined) ks.odd.set(i, { status, reason: o.reason });
    else if (ks.odd.size > 0) ks.odd.delete(i);
    this.count++;
    if (step === "legal") rows[r + LEGAL]!++;
    else if (step === "unseen") rows[r + UNSEEN]!++;
    else if (step === "repeat") rows[r + REPEATS]!++;
    if (!full && (step === "legal" || step === "repeat")) return step;
    const verdict: Verdict = {
      system: o.system,
      kind: o.kind,
      id: o.id,
      index: rows[r + OBSERVATIONS]! - 1,
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
      const n = ++rows[r + VIOLATIONS]!;
      this.violating++;
      for (const v of violations) this.byType[v.type]++;
      if (n <= this.perEntity && this.bad.length < this.total) this.bad.push(verdict);
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
    return this.orderKind.length;
  }

  /** The summary so far: per entity, in order of first observation, and in total. */
  report(): ConformReport {
    const entities: EntitySummary[] = [];
    let legal = 0;
    let unseen = 0;
    let repeats = 0;
    for (let n = 0; n < this.orderKind.length; n++) {
      const ks = this.orderKind[n]!;
      const i = this.orderIndex[n]!;
      const rows = ks.entities.rows;
      const r = i * WIDTH;
      const leaf = rows[r + LEAF]!;
      entities.push({
        system: ks.system,
        kind: ks.kind,
        id: ks.entities.ids[i]!,
        observations: rows[r + OBSERVATIONS]!,
        legal: rows[r + LEGAL]!,
        unseen: rows[r + UNSEEN]!,
        repeats: rows[r + REPEATS]!,
        violations: rows[r + VIOLATIONS]!,
        last: leaf === UNKNOWN ? ks.odd.get(i)! : ks.lifecycle.leaves[leaf]!,
      });
      legal += rows[r + LEGAL]!;
      unseen += rows[r + UNSEEN]!;
      repeats += rows[r + REPEATS]!;
    }
    const totals: ConformTotals = {
      entities: entities.length,
      observations: this.count,
      legal,
      unseen,
      repeats,
      violations: this.violating,
      byType: { ...this.byType },
    };
    return {
      ok: this.violating === 0,
      totals,
      entities,
      violations: [...this.bad],
      omitted: this.violating - this.bad.length,
    };
  }
}
