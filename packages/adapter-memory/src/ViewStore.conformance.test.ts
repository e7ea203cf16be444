import { ViewStoreSuite } from "@phasekit/core/testing";
import { layerMemory } from "./layer.js";

ViewStoreSuite.suite("memory", layerMemory());
