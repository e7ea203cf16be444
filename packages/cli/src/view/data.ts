import { catalog, type KindJson, type SystemDefinition, specJson } from "@phasekit/core";
import type {
  Change,
  EdgeView,
  EntityView,
  HistoryLine,
  KindView,
  MarkerView,
  RunPage,
  SpecPage,
  StatusView,
  VerdictView,
} from "./client/model.js";
import { phaseViews } from "./phases.js";

/**
 * The page's data, built from what the CLI already prints: the spec JSON (`phasekit spec --format
 * json`) for the machines, and the simulator's JSONL records (`phasekit simulate --format jsonl`)
 * for the run. The page shows exactly what those two say, so a test can compare them line by line.
 *
 * @module
 */

/** The fields every status has; any other is a system's own column. */
const statusFields = new Set([
  "name",
  "terminal",
  "outcome",
  "reasons",
  "reasonRequired",
  "description",
  "phase",
  "phaseRationale",
]);

/**
 * One kind of the spec JSON as the page draws it: statuses with their phase and the meaning of each
 * reason (the events that set it), and one edge per pair of statuses with every event that takes it.
 *
 * @example
 * ```ts
 * const kind = kindView("dyff", specJson(catalog.systems).systems[0]!.kinds[0]!);
 * kind.edges.find((e) => e.from === "Created" && e.to === "Admitted")?.events; // ["admit"]
 * ```
 */
export function kindView(system: string, kind: KindJson): KindView {
  // For each status/reason: the events that set it, each with the statuses it is taken from.
  const setBy = new Map<string, Map<string, Set<string>>>();
  for (const rt of kind.reasonTransitions) {
    if (rt.to.reason === null) continue;
    const key = `${rt.to.status}/${rt.to.reason}`;
    const ev = rt.event.reason === null ? rt.event.type : `${rt.event.type}(${rt.event.reason})`;
    let events = setBy.get(key);
    if (!events) setBy.set(key, (events = new Map()));
    let from = events.get(ev);
    if (!from) events.set(ev, (from = new Set()));
    from.add(rt.from.status);
  }
  const statuses: StatusView[] = kind.statuses.map((st) => ({
    name: st.name,
    terminal: st.terminal,
    outcome: st.outcome,
    phase: st.phase,
    description: st.description,
    phaseRationale: st.phaseRationale,
    reasons: st.reasons.map((r) => {
      const by = [...(setBy.get(`${st.name}/${r}`) ?? new Map<string, Set<string>>())].map(
        ([ev, from]) => `${ev} from ${[...from].join(", ")}`,
      );
      const initial = kind.initial === st.name && kind.initialReason === r;
      return {
        name: r,
        meaning:
          by.length > 0
            ? `set by ${by.join("; ")}`
            : initial
              ? "the initial reason"
              : "set by no event of this kind",
      };
    }),
    reasonRequired: st.reasonRequired,
    columns: Object.fromEntries(
      Object.entries(st)
        .filter(([k]) => !statusFields.has(k))
        .map(([k, v]) => [k, v === true ? "yes" : v === false ? "no" : v === null ? "-" : String(v)]),
    ),
  }));
  const edges = new Map<string, { from: string; to: string; events: string[] }>();
  for (const t of kind.transitions) {
    const key = `${t.from}\u0000${t.to}`;
    let edge = edges.get(key);
    if (!edge) edges.set(key, (edge = { from: t.from, to: t.to, events: [] }));
    if (!edge.events.includes(t.event)) edge.events.push(t.event);
  }
  return {
    system,
    kind: kind.name,
    family: kind.family,
    initial: kind.initial,
    statuses,
    edges: [...edges.values()] satisfies EdgeView[],
    events: kind.events.map((e) => ({ name: e.name, description: e.description })),
    notes: [...kind.notes],
  };
}

/** Every kind of the given systems (default: the whole catalog), in the catalog's order. */
export function kindViews(systems: readonly SystemDefinition[] = catalog.systems): KindView[] {
  return specJson(systems).systems.flatMap((s) => s.kinds.map((k) => kindView(s.name, k)));
}

/**
 * The spec's page: every system and kind of `systems`.
 *
 * @example
 * ```ts
 * const page = specPage(catalog.systems);
 * page.kinds.length; // every kind of every system
 * ```
 */
export function specPage(systems: readonly SystemDefinition[], title = "phasekit spec"): SpecPage {
  const json = specJson(systems);
  return {
    mode: "spec",
    title,
    phases: phaseViews(),
    systems: json.systems.map((s) => ({
      name: s.name,
      title: s.title,
      description: s.description,
      choices: [...s.choices],
      differences: [...s.differences],
    })),
    kinds: json.systems.flatMap((s) => s.kinds.map((k) => kindView(s.name, k))),
  };
}

/** The JSONL records the page reads; anything else in a line is kept out. */
type Record_ =
  | {
      record: "status";
      t: number;
      system: string;
      kind: string;
      id: string;
      status: string;
      reason: string | null;
    }
  | { record: "note"; t: number; type: string; [field: string]: unknown }
  | { record: "invariant"; name: string; held: boolean; detail: string | null }
  | { record: "summary"; summary: { seed?: number; end?: number; held?: boolean } };

/** One line of text for a note: what the simulator's text timeline would say of it. */
function marker(n: Record_ & { record: "note" }): MarkerView {
  const id = typeof n.id === "string" ? n.id : null;
  const str = (k: string) => (typeof n[k] === "string" ? (n[k] as string) : "");
  switch (n.type) {
    case "command":
      return n.refused === null || n.refused === undefined
        ? { t: n.t, id, type: "command", text: `${str("command")} ${id ?? ""} accepted` }
        : { t: n.t, id, type: "refused", text: `${str("command")} ${id ?? ""} refused: ${str("refused")}` };
    case "fail":
      return {
        t: n.t,
        id,
        type: "fail",
        text: `fault: ${id ?? ""} fails with ${str("reason")} (${str("effect")})`,
      };
    case "crash":
      return { t: n.t, id: null, type: "crash", text: `crash: ${str("service")} ${str("detail")}` };
    case "pending":
      return { t: n.t, id: null, type: "pending", text: `pending: ${str("step")}` };
    default:
      return { t: n.t, id, type: n.type, text: str("text") || n.type };
  }
}

/**
 * A run's page from the simulator's JSONL (`phasekit simulate --format jsonl`): one row per entity
 * in the order system, kind, first appearance; markers for every note; the verdicts; the machines of
 * the kinds that appear.
 *
 * @example
 * ```ts
 * const page = runPage(renderJsonl(runScenario(scenario)), "quota-wait.yaml");
 * page.entities.map((e) => e.id); // ["e1", "e2", ...]
 * ```
 */
export function runPage(
  jsonl: string,
  title: string,
  options: {
    readonly kinds?: readonly KindView[];
    /** Each entity's history (`system/kind/id` -> lines), e.g. from the simulator's history model. */
    readonly histories?: Readonly<Record<string, readonly HistoryLine[]>>;
    /** The id of the entity to select when the page opens. */
    readonly selected?: string | undefined;
  } = {},
): RunPage {
  const kinds = options.kinds ?? kindViews();
  const entities = new Map<string, { system: string; kind: string; id: string; changes: Change[] }>();
  const markers: MarkerView[] = [];
  const verdicts: VerdictView[] = [];
  let seed: number | null = null;
  let end = 0;
  let held: boolean | undefined;
  for (const line of jsonl.split("\n")) {
    if (line.trim() === "") continue;
    const r = JSON.parse(line) as Record_;
    if (r.record === "status") {
      const key = `${r.system}\u0000${r.kind}\u0000${r.id}`;
      let e = entities.get(key);
      if (!e) entities.set(key, (e = { system: r.system, kind: r.kind, id: r.id, changes: [] }));
      e.changes.push([r.t, r.status, r.reason]);
      end = Math.max(end, r.t);
    } else if (r.record === "note") {
      markers.push(marker(r));
      end = Math.max(end, r.t);
    } else if (r.record === "invariant") verdicts.push({ name: r.name, held: r.held, detail: r.detail });
    else if (r.record === "summary") {
      seed = r.summary.seed ?? null;
      end = Math.max(end, r.summary.end ?? 0);
      held = r.summary.held;
    }
  }
  const order = new Map(kinds.map((k, i) => [`${k.system}\u0000${k.kind}`, i]));
  const rank = (e: EntityView) => order.get(`${e.system}\u0000${e.kind}`) ?? order.size;
  const rows: EntityView[] = [...entities.values()]
    .map((e, i) => ({ e, i }))
    .sort(
      (a, b) =>
        rank(a.e) - rank(b.e) ||
        a.e.system.localeCompare(b.e.system) ||
        a.e.kind.localeCompare(b.e.kind) ||
        a.i - b.i,
    )
    .map(({ e }) => e);
  const used = new Set(rows.map((e) => `${e.system}\u0000${e.kind}`));
  return {
    mode: "run",
    title,
    seed,
    end,
    held: held ?? verdicts.every((v) => v.held),
    verdicts,
    phases: phaseViews(),
    kinds: kinds.filter((k) => used.has(`${k.system}\u0000${k.kind}`)),
    entities: rows,
    markers,
    ...(options.histories && { histories: options.histories }),
    ...(options.selected !== undefined && { selected: options.selected }),
  };
}
