import { randomUUID } from "node:crypto";
import { EventLogSuite } from "@phasekit/core/testing";
import { Layer } from "effect";
import { layerKafka } from "./layer.js";
import { testBrokers } from "./testing/broker.js";

// Each test builds the layer afresh, and each build gets topics of its own (a fresh prefix).
const brokers = await testBrokers();
const fresh = () => Layer.suspend(() => layerKafka({ brokers, prefix: `conformance-${randomUUID()}` }));

EventLogSuite.suite("kafka", fresh());
