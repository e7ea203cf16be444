import type { ClusterObject, DyffEntity } from "@phasekit/core";
import { lifecycleOf, type QuotaLimits, quotaBreaches } from "./invariants.js";

/**
 * The quota check of {@link quotaBreaches}, kept up to date as things happen instead of summed
 * again over every workflow object after every service: the simulator tells the ledger each
 * workflow object created or deleted on the cluster and each state appended to the state log, and
 * the ledger moves that object's request in or out of its account's sums. Asking for the breaches
 * then costs nothing while no account is over a limit, which is all the time in a correct run.
 *
 * @module
 */

const fields = ["gpu", "cpu", "memoryGiB", "slots"] as const;
type Sums = Record<(typeof fields)[number], number>;

interface Held {
  readonly kind: string;
  readonly name: string;
  readonly object: ClusterObject;
  readonly request: Sums;
  /** The sums' arithmetic is exact for this request (whole numbers): no need to add up again in order. */
  readonly exact: boolean;
  /** The account it counts for now, or null when its entity is absent or terminal. */
  countsFor: string | null;
}

interface Account {
  readonly sums: Sums;
  /** The objects counting for it. */
  readonly held: Set<Held>;
  /** How many of them have a request whose sums may round (not whole numbers). */
  inexact: number;
}

const requestOf = (o: ClusterObject): Sums => {
  const r = (o.spec as { request?: Partial<Record<string, number>> } | null)?.request ?? {};
  return { gpu: r.gpu ?? 0, cpu: r.cpu ?? 0, memoryGiB: r.memoryGiB ?? 0, slots: 1 };
};

/** The account an entity's objects count for: its own while it is not terminal, else none. */
const countsFor = (entity: DyffEntity | undefined): string | null =>
  entity && lifecycleOf(entity.kind)?.isTerminal(entity.status) === false ? entity.account : null;

/** The order `quotaBreaches` meets objects in when handed the cluster's listing: kind, then name. */
const listingOrder = (a: Held, b: Held) =>
  a.kind !== b.kind ? (a.kind < b.kind ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/**
 * Per-account sums of what unfinished admitted work holds, updated one change at a time; its
 * `breaches()` equals `quotaBreaches` over the workflow objects on the cluster (in the cluster's
 * order) and the newest state of each entity, line for line.
 *
 * @example
 * ```ts
 * const ledger = new QuotaLedger({ alice: { gpu: 1 } });
 * ledger.created(workflowObject); // Evaluation e1, request { gpu: 2 }
 * ledger.stated("e1", admittedEntity);
 * ledger.breaches(); // ["alice held gpu 2 > quota 1"]
 * ```
 */
export class QuotaLedger {
  /** Workflow objects on the cluster, by `<kind>/<name>`. */
  private readonly objects = new Map<string, Held>();
  /** Entity id (the workflow object's name) -> its objects (one per kind, normally one). */
  private readonly byName = new Map<string, Set<Held>>();
  /** Entity id -> its newest state. */
  private readonly entities = new Map<string, DyffEntity>();
  private readonly accounts = new Map<string, Account>();
  /** Accounts whose sums are over a limit (maybe only by rounding: confirmed when asked). */
  private readonly over = new Set<string>();

  constructor(private readonly limits: Readonly<Record<string, QuotaLimits>>) {}

  /** A workflow object (no owner) was created on the cluster. */
  created(object: ClusterObject): void {
    const key = `${object.kind}/${object.name}`;
    const old = this.objects.get(key);
    if (old) this.forget(key, old);
    const request = requestOf(object);
    const exact = fields.every((f) => Number.isSafeInteger(request[f]));
    const held: Held = { kind: object.kind, name: object.name, object, request, exact, countsFor: null };
    this.objects.set(key, held);
    let named = this.byName.get(object.name);
    if (!named) this.byName.set(object.name, (named = new Set()));
    named.add(held);
    this.count(held, countsFor(this.entities.get(object.name)));
  }

  /** An object was deleted from the cluster (ignored unless it is a workflow object the ledger holds). */
  deleted(kind: string, name: string): void {
    const key = `${kind}/${name}`;
    const held = this.objects.get(key);
    if (held) this.forget(key, held);
  }

  /** A state of entity `id` was appended to the state log: from now on it is the one that counts. */
  stated(id: string, entity: DyffEntity): void {
    this.entities.set(id, entity);
    const account = countsFor(entity);
    for (const held of this.byName.get(id) ?? []) this.count(held, account);
  }

  /** One line per limit exceeded now, as `quotaBreaches` would give them. */
  breaches(): string[] {
    if (this.over.size === 0) return [];
    // Rare (a breach is a bug the run reports): hand every object counting for the accounts over a
    // limit, and none other, to `quotaBreaches` itself in the cluster's order. Its sums for those
    // accounts are the full check's, no other account is over, so its lines are the full check's.
    const suspects = [...this.over].flatMap((a) => [...this.accounts.get(a)!.held]).sort(listingOrder);
    return quotaBreaches(
      suspects.map((h) => h.object),
      (id) => this.entities.get(id),
      this.limits,
    );
  }

  private forget(key: string, held: Held): void {
    this.count(held, null);
    this.objects.delete(key);
    const named = this.byName.get(held.name)!;
    named.delete(held);
    if (named.size === 0) this.byName.delete(held.name);
  }

  /** Moves `held` to count for `account` (null: for none), keeping the sums and the over-limit set. */
  private count(held: Held, account: string | null): void {
    if (held.countsFor === account) return;
    const from = held.countsFor;
    held.countsFor = account;
    if (from !== null) this.move(from, held, -1);
    if (account !== null) this.move(account, held, 1);
  }

  private move(name: string, held: Held, sign: 1 | -1): void {
    let account = this.accounts.get(name);
    if (!account) {
      account = { sums: { gpu: 0, cpu: 0, memoryGiB: 0, slots: 0 }, held: new Set(), inexact: 0 };
      this.accounts.set(name, account);
    }
    for (const f of fields) account.sums[f] += sign * held.request[f];
    if (sign > 0) account.held.add(held);
    else account.held.delete(held);
    if (!held.exact) account.inexact += sign;
    if (account.held.size === 0) {
      // Nothing counts for it: start the sums from zero again (no rounding left behind).
      for (const f of fields) account.sums[f] = 0;
      account.inexact = 0;
    }
    const limits = this.limits[name];
    const sums = account.sums;
    const inexact = account.inexact > 0;
    const isOver =
      account.held.size > 0 &&
      fields.some((f) => {
        const limit = limits?.[f];
        if (limit === undefined) return false;
        // Running sums of whole numbers are exact; others may have rounded: near the limit, let
        // `breaches` add them up again in order.
        return sums[f] > limit || (inexact && sums[f] >= limit - 1e-9 * Math.max(1, Math.abs(limit)));
      });
    if (isOver) this.over.add(name);
    else this.over.delete(name);
  }
}
