import { makePrng, type Prng } from "../prng.js";
import type { Note, TimelineEntry } from "./timeline.js";

/**
 * The one simulation loop: one simulated clock, one seeded random source, and every system of a
 * scenario (Dyff's control plane, Run:ai, Ray, Wallaroo) as an {@link Actor} of it. The loop's
 * agenda is its actors ordered by when each is next due, earliest first, and among actors due at
 * the same instant in the order they joined: it wakes the earliest, lets it do what is due at that
 * instant, and goes on to the next instant, so the systems of a mixed scenario interleave in
 * simulated time. What each actor emits (status changes and notes) goes into one journal in time
 * order: by the time it is stamped with, then, within one instant, by actor (in the order they
 * joined), then by the actor's {@link Actor.tier}, then in the order recorded. (An engine may record
 * a note stamped a little ahead of its clock, such as the end of a wait it can already tell: the
 * journal puts it at its instant.) A run is a pure function of (scenario, seed).
 *
 * The random source: the loop holds `makePrng(seed)`, and every actor draws only from forks of it
 * keyed by the actor's own label (`simulator`, `runai/nodes` ...), never from the root: a fork's
 * numbers depend on the seed and the label alone, so adding a system to a scenario changes no other
 * system's draws (docs/decisions.md, "One clock for every system").
 *
 * @module
 */

/** What an actor emits: a status change or a note, in the order it happened. */
export type Emitted = TimelineEntry | Note;

/** One system's services, as the loop drives them. Times are simulated milliseconds. */
export interface Actor {
  /** The system it plays (`dyff`, `runai`, `ray`, `wallaroo`). */
  readonly system: string;
  /** The next instant it has anything at all to do, or undefined when nothing is scheduled. */
  nextEvent(): number | undefined;
  /**
   * The next instant whose work keeps a run without `until` going (undefined: the actor is done).
   * An actor may have later events that do not (a script polling forever).
   */
  nextDue(): number | undefined;
  /** Does everything due up to `at`, in order; its clock then reads `at`. */
  advanceTo(at: number): void;
  /** What it emitted since the last call, in the order it recorded it. */
  drain(): readonly Emitted[];
  /**
   * Where an item goes among this actor's items of the same instant: lower first, then in the order
   * recorded (default 0 for all: its own order). The engines put status changes before notes.
   */
  tier?(e: Emitted): number;
}

/** Simulated time after which a run without `until` stops anyway (a year). */
export const horizon = 365 * 86_400_000;

/**
 * Drives actors on one clock (see the module comment).
 *
 * @example
 * ```ts
 * const loop = new Loop(7);
 * loop.add(systemActor); // any Actor: the Dyff simulation, a Run:ai engine ...
 * loop.run(3_600_000);
 * loop.journal; // every actor's status changes and notes, in time order
 * ```
 */
export class Loop {
  /** The simulated clock (milliseconds): the instant the loop last reached. */
  now = 0;
  /** The one random source: actors take keyed forks of it. */
  readonly random: Prng;
  /** Everything the actors emitted, in the order it happened. */
  readonly journal: Emitted[] = [];
  private readonly actors: Actor[] = [];
  /** The journal's order within an instant: each item's actor rank and tier. */
  private readonly ranks: number[] = [];
  private readonly tiers: number[] = [];

  constructor(readonly seed: number) {
    this.random = makePrng(seed);
  }

  /** Adds an actor; among actors due at the same instant, the one added first acts first. */
  add<A extends Actor>(actor: A): A {
    this.actors.push(actor);
    return actor;
  }

  /**
   * Runs to `until` (milliseconds), then sets every actor's clock to it; without `until`, each
   * actor runs while it has work that keeps it going (up to {@link horizon}), and the run ends when
   * none has. `onInstant` is called at each instant the loop reaches.
   */
  run(until: number | undefined, onInstant?: (now: number) => void): void {
    if (until !== undefined) {
      const wake = (a: Actor) => a.nextEvent();
      for (let at = earliest(this.actors, wake); at !== undefined && at <= until; ) {
        this.instant(at, this.actors, wake, onInstant);
        at = earliest(this.actors, wake);
      }
      this.now = Math.max(this.now, until);
      for (const actor of this.actors) this.act(actor, until);
      return;
    }
    // An actor with nothing left that keeps it going stops, as it would in a run of its own.
    const wake = (a: Actor) => min(a.nextEvent(), a.nextDue());
    for (;;) {
      const live = this.actors.filter((a) => {
        const due = a.nextDue();
        return due !== undefined && due <= horizon;
      });
      const at = earliest(live, wake);
      if (at === undefined) return;
      this.instant(at, live, wake, onInstant);
    }
  }

  private instant(
    at: number,
    actors: readonly Actor[],
    wake: (a: Actor) => number | undefined,
    onInstant: ((now: number) => void) | undefined,
  ): void {
    this.now = Math.max(this.now, at);
    onInstant?.(this.now);
    for (const actor of actors) {
      const due = wake(actor);
      if (due !== undefined && due <= at) this.act(actor, this.now);
    }
  }

  private act(actor: Actor, at: number): void {
    actor.advanceTo(at);
    const rank = this.actors.indexOf(actor);
    for (const e of actor.drain()) this.record(e, rank, actor.tier?.(e) ?? 0);
  }

  /** Puts `e` after every item of the journal that goes before it or with it (usually: at the end). */
  private record(e: Emitted, rank: number, tier: number): void {
    const { journal, ranks, tiers } = this;
    let i = journal.length;
    while (i > 0) {
      const p = journal[i - 1]!;
      const after =
        p.t > e.t ||
        (p.t === e.t && (ranks[i - 1]! > rank || (ranks[i - 1] === rank && tiers[i - 1]! > tier)));
      if (!after) break;
      i--;
    }
    if (i === journal.length) {
      journal.push(e);
      ranks.push(rank);
      tiers.push(tier);
      return;
    }
    journal.splice(i, 0, e);
    ranks.splice(i, 0, rank);
    tiers.splice(i, 0, tier);
  }
}

const min = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

function earliest(actors: readonly Actor[], wake: (a: Actor) => number | undefined): number | undefined {
  let at: number | undefined;
  for (const actor of actors) at = min(at, wake(actor));
  return at;
}
