/**
 * Test support for phasekit and its adapters: fast-check arbitraries over any lifecycle and the
 * conformance suites every adapter runs.
 *
 * @packageDocumentation
 */
export { arbitraryEvent, arbitraryEvents, arbitraryPath, type LifecyclePath } from "./arbitraries.js";
export { type LawOptions, lifecycleLaws, xstateNext } from "./laws.js";
