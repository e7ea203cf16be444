import { StateLogSuite } from "@phasekit/core/testing";
import { layerMemory } from "./layer.js";

// Manual compaction that nobody triggers keeps every record, so the full log contract holds too.
StateLogSuite.suite("memory, not compacted", layerMemory(), { compacted: false });
StateLogSuite.suite("memory, eager compaction", layerMemory({ compaction: "eager" }));
StateLogSuite.suite(
  "memory, eager compaction with every log fault",
  layerMemory({ compaction: "eager", seed: 4, faults: { duplicate: 0.5, reorder: true } }),
);
