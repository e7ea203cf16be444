import { KeyValueSuite } from "@phasekit/core/testing";
import { layerMemory } from "./layer.js";

KeyValueSuite.suite("memory", layerMemory());
