import { ClusterSuite } from "@phasekit/core/testing";
import { layerMemory } from "./layer.js";

ClusterSuite.suite("memory", layerMemory());
ClusterSuite.suite("memory, informer lag of 3 writes", layerMemory({ seed: 5, faults: { staleReads: 3 } }));
ClusterSuite.suite("memory, informer lag of 20 writes", layerMemory({ seed: 6, faults: { staleReads: 20 } }));
