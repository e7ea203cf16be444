/**
 * What the page is made from: the data the CLI embeds in the HTML file (one JSON block) and the
 * browser script reads. Plain data, no functions, no DOM: the CLI (Node) builds it, the script
 * (browser) draws it, and both typecheck against this one file.
 *
 * @module
 */

/** One status of a kind, as the page shows it in the diagram and the spec tables. */
export interface StatusView {
  readonly name: string;
  readonly terminal: boolean;
  readonly outcome: string | null;
  readonly phase: string;
  readonly description: string;
  /** Why the status is in its phase, when the machine says. */
  readonly phaseRationale?: string;
  /** The reasons allowed in this status, each with what sets it (the events that lead there). */
  readonly reasons: readonly { readonly name: string; readonly meaning: string }[];
  readonly reasonRequired: boolean;
  /** The system's own columns for this status (Run:ai's resourcesAllocated, Ray's resumable...). */
  readonly columns: Readonly<Record<string, string>>;
}

/** A status-to-status edge of the diagram and every event that takes it. */
export interface EdgeView {
  readonly from: string;
  readonly to: string;
  readonly events: readonly string[];
}

/** One kind of one system: the machine the diagram is drawn from. */
export interface KindView {
  readonly system: string;
  readonly kind: string;
  readonly family: string | null;
  readonly initial: string;
  readonly statuses: readonly StatusView[];
  readonly edges: readonly EdgeView[];
  readonly events: readonly { readonly name: string; readonly description: string }[];
  readonly notes: readonly string[];
}

/** One status change of an entity: `[t, status, reason]`, `t` in simulated seconds. */
export type Change = readonly [t: number, status: string, reason: string | null];

/** One entity (one row): its identity and its status changes in the order they happened. */
export interface EntityView {
  readonly system: string;
  readonly kind: string;
  readonly id: string;
  readonly changes: readonly Change[];
}

/** A marker on a row (or on the run's own lane when `id` is null): a command, a fault, a note. */
export interface MarkerView {
  readonly t: number;
  readonly id: string | null;
  /** command, refused, fail, crash, pending, system. */
  readonly type: string;
  /** What happened, in one line, for the tooltip and the history. */
  readonly text: string;
}

/** One invariant checked at the end of the run. */
export interface VerdictView {
  readonly name: string;
  readonly held: boolean;
  readonly detail: string | null;
}

/** One common phase of the legend. */
export interface PhaseView {
  readonly name: string;
  readonly terminal: boolean;
  readonly description: string;
}

/** One line of an entity's history, as `simulate --entity` gives it (or made from its row). */
export interface HistoryLine {
  readonly t: number;
  readonly what: string;
  readonly cause: string;
}

/** A run's page: the timeline, the machines of the kinds in it, the verdicts. */
export interface RunPage {
  readonly mode: "run";
  readonly title: string;
  readonly seed: number | null;
  /** The simulated time the run ended, in seconds. */
  readonly end: number;
  readonly held: boolean;
  readonly verdicts: readonly VerdictView[];
  readonly phases: readonly PhaseView[];
  readonly kinds: readonly KindView[];
  /** Sorted by system, kind, then order of appearance. */
  readonly entities: readonly EntityView[];
  readonly markers: readonly MarkerView[];
  /** The id of the entity selected when the page opens (else the first row). */
  readonly selected?: string;
  /** Per entity (`system/kind/id`), its history (else the page builds one from the row and markers). */
  readonly histories?: Readonly<Record<string, readonly HistoryLine[]>>;
}

/** The spec's page: every system and kind, its diagram and its tables. */
export interface SpecPage {
  readonly mode: "spec";
  readonly title: string;
  readonly phases: readonly PhaseView[];
  readonly systems: readonly {
    readonly name: string;
    readonly title: string;
    readonly description: string;
    /** Choices phasekit made where the source is silent. */
    readonly choices: readonly string[];
    /** Where phasekit knowingly differs from the source. */
    readonly differences: readonly string[];
  }[];
  readonly kinds: readonly KindView[];
}

export type PageData = RunPage | SpecPage;
