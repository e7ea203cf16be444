import { randomUUID } from "node:crypto";
import { StateLogSuite } from "@phasekit/core/testing";
import { Layer } from "effect";
import { layerKafka } from "./layer.js";
import { testBrokers } from "./testing/broker.js";

const brokers = await testBrokers();
// Segments roll every 100 ms and the cleaner runs at once, so compaction really happens during a test.
const compacting = { "segment.ms": "100", "min.cleanable.dirty.ratio": "0.01" };
const fresh = () =>
  Layer.suspend(() =>
    layerKafka({ brokers, prefix: `conformance-${randomUUID()}`, topicConfigs: { state: compacting } }),
  );

StateLogSuite.suite("kafka", fresh());
