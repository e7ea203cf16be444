/**
 * Test support for phasekit and its adapters: fast-check arbitraries over any lifecycle and the
 * conformance suites every adapter runs.
 *
 * @packageDocumentation
 */
export { arbitraryEvent, arbitraryEvents, arbitraryPath, type LifecyclePath } from "./arbitraries.js";
export { type LawOptions, lifecycleLaws, xstateNext } from "./laws.js";
export * as AuthorizerSuite from "./suites/Authorizer.js";
export * as ClusterSuite from "./suites/Cluster.js";
export * as EventLogSuite from "./suites/EventLog.js";
export * as KeyValueSuite from "./suites/KeyValue.js";
export * as StateLogSuite from "./suites/StateLog.js";
export * as ViewStoreSuite from "./suites/ViewStore.js";
