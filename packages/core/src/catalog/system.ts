import type { Lifecycle } from "../lifecycle/lifecycle.js";

/** One platform in the catalog: its kinds' lifecycles and the notes the reference prints. */
export interface SystemDefinition {
  readonly name: string;
  readonly title: string;
  /** A paragraph for the top of the generated reference. */
  readonly description: string;
  readonly lifecycles: readonly Lifecycle[];
  /** What phasekit chose where the source is silent. */
  readonly choices?: readonly string[];
  /** Where phasekit differs from the reference implementation, and why. */
  readonly differences?: readonly string[];
  /** Kinds the source declares that have no lifecycle of their own, each with what it carries instead. */
  readonly withoutLifecycle?: readonly { readonly kind: string; readonly note: string }[];
}
