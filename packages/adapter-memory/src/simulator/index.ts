/**
 * The scenario simulator: scenario files in, a deterministic timeline and checked invariants out.
 *
 * @module
 */
export { Agenda } from "./agenda.js";
export { AsyncSimulation } from "./async-simulation.js";
export { ClusterPlayer, type Finish, failureRole, type NodeCapacity } from "./cluster-player.js";
export { crashingCluster, crashingKeyValue, crashingLog, isSimulatedCrash } from "./crash.js";
export { durationExpected, formatDuration, parseDuration } from "./duration.js";
export { historyIds, historyJsonl, simulationHistory } from "./history.js";
export {
  checkAdmittedOnce,
  checkConsistency,
  checkQuota,
  checkSameAsWithoutFaults,
  checkSequences,
  type FinalStatus,
  type InvariantResult,
  type QuotaLimits,
  quotaBreaches,
  stateFromLog,
} from "./invariants.js";
export { parseScenario } from "./load.js";
export { type Actor, type Emitted, horizon, Loop } from "./loop.js";
export { type CommandOperation, commandOf, type Operation } from "./operations.js";
export { createSimulator, type Simulator, simulate } from "./promise.js";
export { QuotaLedger } from "./quota-ledger.js";
export {
  makeRecorder,
  type Recorder,
  type RecorderObserver,
  recordingCluster,
  recordingStateLog,
} from "./recorder.js";
export { jsonlVersion, renderJsonl, renderText, summary } from "./render.js";
export { createRequestOf, defaultTakes, type ResourceToCreate, stepDuration, toCreate } from "./requests.js";
export {
  baselineFaults,
  checkInvariants,
  dyffActor,
  finalStatuses,
  noScenarioFaults,
  prepare,
  type RunOptions,
  runScenario,
  runToEnd,
  type SimulationResult,
  type SimulationStats,
} from "./run.js";
export {
  decodeScenario,
  dyffScenarioItems,
  type Scenario,
  type ScenarioEvent,
  type ScenarioFaults,
  type ScenarioInput,
  type ScenarioKind,
  type ScenarioResource,
  scenarioKinds,
  scenarioSchema,
  scenarioSystems,
} from "./scenario.js";
export { needRules, workFailures } from "./scenario-checks.js";
export { scenarioDuration, scenarioFileSchema } from "./scenario-file.js";
export { scheduleScenario } from "./schedule-scenario.js";
export {
  type RunningService,
  type ServiceHooks,
  type ServiceName,
  serviceNames,
  startService,
} from "./services.js";
export { Simulation } from "./simulation.js";
export {
  maxRounds,
  type SimulationBackend,
  type SimulationSetup,
  type SimulatorMutation,
  simulatedTime,
  simulatorMutations,
} from "./simulation-setup.js";
export { exec, execOrThrow, runSteps, runStepsAsync, type Step, type Steps } from "./steps.js";
export { RayEngine } from "./systems/ray/engine.js";
export { runSystems, type SystemsResult } from "./systems/run.js";
export { RunaiEngine } from "./systems/runai/engine.js";
export { otherSystems, type SystemsScenario } from "./systems/scenario.js";
export { readWallarooZips } from "./systems/wallaroo-tasks/zips.js";
export { type Note, phaseOfEntry, type TimelineEntry, ViewWatcher } from "./timeline.js";
