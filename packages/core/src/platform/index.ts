/**
 * The Dyff control plane over phasekit's ports: the command API, the workflows-aggregator, the
 * workflows-sink, the orchestrator, the operator and the workflows-informer. Each service is a set
 * of pure decisions plus an Effect program with a `runOnce` that handles what is available now,
 * commits, and returns how much it did (0: nothing to do).
 *
 * @module
 */
export {
  type AdmissionRecord,
  admissionKey,
  admissionPrefix,
  admissionRecord,
  decodeAdmission,
  encodeAdmission,
} from "./admissions.js";
export {
  type AggregateResult,
  type Aggregator,
  type AggregatorOptions,
  aggregate,
  aggregateRecord,
  logRejection,
  makeAggregator,
  type Rejection,
  type RejectionCode,
  type RejectionHook,
  uploadKinds,
} from "./aggregator.js";
export {
  type CommandError,
  type CommandName,
  CommandRefused,
  type CreateRequest,
  createEntity,
  createRequest,
  decideCreate,
  decideDelete,
  decideLabels,
  decideTerminate,
  decideUploaded,
  deleteEntity,
  dependenciesOf,
  editEntityLabels,
  getEntity,
  labelsPatch,
  markEntityUploaded,
  newEntity,
  type RefusalCode,
  terminateEntity,
} from "./commands.js";
export {
  type DeadLetter,
  type DeadLetterHook,
  type DecodedRecord,
  decodeBatch,
  logDeadLetter,
} from "./consume.js";
export { type ConsumingService, consumerGroups } from "./consumer-groups.js";
export {
  type ControlPlane,
  type ControlPlaneError,
  type ControlPlaneOptions,
  type ControlPlanePorts,
  makeControlPlane,
} from "./control-plane.js";
export { decodeStateShared, memoDecode } from "./decode-memo.js";
export {
  type Informer,
  type InformerEmit,
  type InformerEntry,
  makeInformer,
  type ObservedStatus,
  observeWorkflows,
  statusesFromConditions,
} from "./informer.js";
export {
  createEvent,
  decodeEntity,
  decodeEvent,
  decodeState,
  deleteEvent,
  type EventMessage,
  encodeEvent,
  encodeState,
  eventMessage,
  eventRecord,
  labelsEvent,
  type StateMessage,
  type StatusAuthor,
  stateRecord,
  statusAuthor,
  statusEvent,
  terminateEvent,
  uploadedEvent,
} from "./messages.js";
export {
  makeOperator,
  type Operator,
  type OperatorAction,
  type OperatorOptions,
  operatorRequeueSeconds,
  type Reconcile,
  reconcileWorkflow,
  sameConditions,
  setCondition,
} from "./operator.js";
export {
  decideOrchestration,
  emitMark,
  makeOrchestrator,
  type Orchestrator,
  type OrchestratorAction,
  type OrchestratorOptions,
  type OrchestratorView,
  workflowResource,
} from "./orchestrator.js";
export {
  dyffReason,
  type StepTemplate,
  terminalConditionTypes,
  type WorkflowPlan,
  type WorkflowStage,
  workflowCondition,
  workflowPlans,
} from "./plans.js";
export { replayEvents } from "./replay.js";
export {
  type AccountQuota,
  admissionOrder,
  type DependencyState,
  dependencyStates,
  emptyResourceRequest,
  fitsQuota,
  type Quotas,
  type ResourceRequest,
  requestOf,
} from "./scheduling.js";
export { documentsToWrite, makeSink, type Sink, type SinkOptions, viewDocument, viewEntity } from "./sink.js";
export { keepNewestState, loadState } from "./state.js";
export {
  type StepConditionType,
  type StepKind,
  type StepPhase,
  type StepRole,
  type StepSpec,
  stepActive,
  stepCondition,
  stepConditionTypes,
  stepKinds,
  stepLabels,
  stepName,
  stepPhase,
  workflowLabels,
} from "./steps.js";
