/**
 * phasekit's etcd adapter: the orchestrator's strongly consistent key-value store (`KeyValue`:
 * admission records, the informer's memory) on a real etcd, compare-and-set as etcd transactions.
 *
 * @packageDocumentation
 */
export { decodeEtcdConfig, type EtcdConfig, type EtcdConfigInput, parseEtcdUrl } from "./config.js";
export { etcdKeyValue } from "./key-value.js";
export { createEtcdClient, layerEtcd } from "./layer.js";
export { testEtcdEndpoints } from "./testing/etcd.js";
