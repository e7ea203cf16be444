import fc from "fast-check";
import { runaiJobAttributes } from "./attributes.js";
import {
  type RunaiKubeletAction,
  type RunaiPodWorld,
  runaiKubeletActions,
  runaiKubeletStep,
  runaiPodWorld,
} from "./kubelet-model.js";

/**
 * For the tests of what Run:ai shows from Pods: walks of the kubelet model (test support, not
 * exported by the package).
 *
 * @module
 */

const disruptions = new Set<RunaiKubeletAction>(["delete", "preempt", "evict", "timeOut", "schedulerDown"]);

/**
 * A real lifecycle of any job type: the worlds of a walk where each step is one of the actions the
 * kubelet model allows, until the job ends. Disruptions (deletion, preemption, eviction, timeout,
 * scheduler down) come one step in eight, so that walks also reach the end of a job's own lifecycle.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(kubeletWalks, (worlds) => worlds.length > 0));
 * ```
 */
export const kubeletWalks: fc.Arbitrary<RunaiPodWorld[]> = fc
  .tuple(
    fc.record({
      type: fc.constantFrom("training", "interactive", "distributed"),
      preemptible: fc.boolean(),
      backoffLimit: fc.nat(3),
    }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 999 })), { maxLength: 60 }),
  )
  .map(([a, choices]) => {
    let world: RunaiPodWorld = runaiPodWorld(runaiJobAttributes.parse(a));
    const worlds = [world];
    for (const [disrupt, pick] of choices) {
      const allowed = runaiKubeletActions(world);
      if (allowed.length === 0) break;
      const progress = allowed.filter((x) => !disruptions.has(x));
      const pool = progress.length > 0 && disrupt !== 0 ? progress : allowed;
      world = runaiKubeletStep(world, pool[pick % pool.length]!);
      worlds.push(world);
    }
    return worlds;
  });
