export { Authorizer, type AuthorizerShape, type Principal, Unauthorized, type Verb } from "./Authorizer.js";
export {
  Cluster,
  type ClusterChanges,
  type ClusterCursor,
  ClusterError,
  type ClusterObject,
  type ClusterShape,
  type Condition,
  type NewClusterObject,
} from "./Cluster.js";
export { EventLog } from "./EventLog.js";
export { KeyValue, KeyValueError, type KeyValueShape, type Versioned } from "./KeyValue.js";
export {
  carriedMessage,
  type Decoded,
  type LogConsumer,
  LogError,
  type LogPosition,
  type LogRecord,
  type LogShape,
  type ProducerRecord,
} from "./Log.js";
export { latestByKey, StateLog } from "./StateLog.js";
export {
  carriedEntity,
  type ViewDocument,
  ViewStore,
  ViewStoreError,
  type ViewStoreShape,
} from "./ViewStore.js";
