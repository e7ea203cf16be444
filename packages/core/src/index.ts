/**
 * phasekit core: lifecycle machines for Dyff, Run:ai, Wallaroo and Ray, the pure kernel that steps
 * them, the catalog, and the generated reference. Pure: no clock, randomness, timers or I/O.
 *
 * @packageDocumentation
 */
export { Catalog, type CatalogLifecycles, catalog, lookupIn } from "./catalog/catalog.js";
export type { SystemDefinition } from "./catalog/system.js";
export * from "./conform/index.js";
export { article, decode, formatPath, toDecodeIssues } from "./decode.js";
export {
  type EntityHistory,
  entityHistory,
  type HistoryCause,
  type HistoryChangeInput,
  type HistoryCommand,
  type HistoryFacts,
  type HistoryInput,
  type HistoryItem,
  type HistoryNote,
  type HistoryStatus,
  type HistoryStatusChange,
} from "./history/entity-history.js";
export { historyText } from "./history/history-text.js";
export { Watermarks } from "./lifecycle/dedupe.js";
export {
  DecodeError,
  type DecodeIssue,
  type EventDescriptor,
  show,
  TransitionError,
} from "./lifecycle/errors.js";
export {
  type AnyLifecycle,
  type GeneratedCell,
  type GeneratedLookup,
  type Leaf,
  Lifecycle,
  type LifecycleEventOf,
  type LifecycleEventType,
  type LifecycleReason,
  type LifecycleRecord,
  type LifecycleStatus,
  type StatusPatch,
} from "./lifecycle/lifecycle.js";
export {
  buildMachine,
  type EventDescriptorUnion,
  type EventReasons,
  type EventUnion,
  type LifecycleEvent,
} from "./lifecycle/machine.js";
export {
  isTerminalPhase,
  type Phase,
  phaseDescriptions,
  phaseOf,
  phaseOfOutcome,
  phases,
  type TerminalPhase,
  terminalPhases,
} from "./lifecycle/phase.js";
export type { StatusRecord } from "./lifecycle/record.js";
export {
  type ColumnValue,
  type From,
  type LifecycleSpec,
  NO_REASON,
  type Outcome,
  outcomes,
  type StatusSpec,
  sourceOf,
  type TransitionReasons,
  type TransitionSpec,
  validateSpec,
} from "./lifecycle/spec.js";
export { step } from "./lifecycle/step.js";
export { isRfc3339, RFC3339_EXPECTED } from "./lifecycle/time.js";
export * from "./platform/index.js";
export * from "./ports/index.js";
export {
  type KindJson,
  kindJson,
  type ReasonTransitionJson,
  reasonTransitions,
  type SpecJson,
  type StatusJson,
  type SystemJson,
  specJson,
  specJsonSchemaUrl,
  specJsonVersion,
  statusTransitions,
  systemJson,
  type TransitionJson,
} from "./spec/json.js";
export { markdown } from "./spec/markdown.js";
export { mermaid } from "./spec/mermaid.js";
export { phasesMarkdown } from "./spec/phases-markdown.js";
export * from "./systems/dyff/index.js";
export * from "./systems/dyff/released/index.js";
export * from "./systems/ray/index.js";
export * from "./systems/runai/index.js";
export * from "./systems/wallaroo/index.js";
