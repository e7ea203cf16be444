import { EventLogSuite } from "@phasekit/core/testing";
import { layerMemory } from "./layer.js";

EventLogSuite.suite("memory", layerMemory());
EventLogSuite.suite("memory, one partition", layerMemory({ partitions: 1 }));
EventLogSuite.suite("memory, duplicates", layerMemory({ seed: 1, faults: { duplicate: 0.3 } }));
EventLogSuite.suite("memory, reordering across keys", layerMemory({ seed: 2, faults: { reorder: true } }));
EventLogSuite.suite(
  "memory, every log fault",
  layerMemory({ partitions: 5, seed: 3, faults: { duplicate: 0.5, reorder: true } }),
);
