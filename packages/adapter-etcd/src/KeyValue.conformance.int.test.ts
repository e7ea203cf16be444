import { randomUUID } from "node:crypto";
import { KeyValueSuite } from "@phasekit/core/testing";
import { Layer } from "effect";
import { layerEtcd } from "./layer.js";
import { testEtcdEndpoints } from "./testing/etcd.js";

// Each test builds the layer afresh, and each build gets a key prefix of its own, so it starts empty.
const endpoints = await testEtcdEndpoints();
const fresh = () => Layer.suspend(() => layerEtcd({ endpoints, prefix: `conformance/${randomUUID()}/` }));

KeyValueSuite.suite("etcd", fresh());
