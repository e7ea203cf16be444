/**
 * The phasekit runtime: Dyff's REST API (`/v0`) as a thin adapter over the command API, over any
 * backend whose Layers serve the Authorizer, the query view and the event log, and the embedded
 * default that runs the whole control plane in memory with steps on the wall clock.
 *
 * @packageDocumentation
 */
export type {
  ApiBackend,
  ApiPorts,
  Caller,
  Reply,
} from "./api/handlers.js";
export { byResource, type DyffJson, type ServedKind, servedKinds, toDyff } from "./api/kinds.js";
export { dyffObject, labelsRequest, openApiDocument, problemBody, statusReply } from "./api/openapi.js";
export { ApiProblem, type FieldProblem, type Problem, problem } from "./api/problem.js";
export {
  type ApiServer,
  type ApiServerOptions,
  apiHandler,
  defaultMaxBodyBytes,
  startApiServer,
} from "./api/server.js";
export {
  type Backend,
  type BackendPorts,
  deadLetterHook,
  describeBackend,
  layerBackend,
} from "./backend.js";
export {
  type KafkaScenarioOptions,
  type KafkaScenarioResult,
  runScenarioOnKafka,
} from "./kafka/run-scenario.js";
export {
  checkKubeCluster,
  inCluster,
  type KubeClusterOptions,
  type KubeClusterPart,
  kubeCluster,
} from "./kube/cluster.js";
export { type KubeDyff, type KubeDyffOptions, startKubeDyff } from "./kube/local.js";
export {
  failureAnnotations,
  type PlayedStatus,
  playableScenario,
  playScenario,
  runScenarioOnKube,
  scenarioTokens,
  unplayable,
} from "./kube/play.js";
export { backendFromLayer, type OpenBackend, openBackend } from "./layer.js";
export {
  defaultFailureRate,
  defaultStepMs,
  type LocalDyff,
  type LocalDyffOptions,
  startLocalDyff,
} from "./memory.js";
export {
  type BackendScenarioOptions,
  type BackendScenarioResult,
  runScenarioOn,
} from "./run-scenario.js";
export { type OpenApi, openApi, runServices, type ServicesOptions } from "./serve.js";
export {
  type ControlPlaneService,
  controlPlaneServices,
  type ServiceSetup,
  type StartedService,
  startControlPlaneService,
} from "./services.js";
export { type BackendSimulation, openSimulation, SimulationBackendError } from "./simulation.js";
export { type SharedStores, StoreConfigError, sharedStores, viewTable } from "./stores.js";
export {
  restartDelayMs,
  type SuperviseOptions,
  type SupervisorEvents,
  supervise,
} from "./supervise.js";
