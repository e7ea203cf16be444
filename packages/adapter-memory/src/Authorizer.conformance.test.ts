import { AuthorizerSuite } from "@phasekit/core/testing";
import { layerMemory } from "./layer.js";

AuthorizerSuite.suite("memory", (tokens) => layerMemory({ tokens }));
