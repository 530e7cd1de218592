// The activities the subscription workflow runs, all on the `billing` task queue (the workflow's own).
// Instants travel as ISO 8601 strings.

export type SubscriptionState = 'trialing' | 'active' | 'past_due' | 'canceled';
export type Interval = 'month' | 'year';

export interface ActorRef {
  kind: 'user' | 'operator' | 'system' | 'api_key';
  id: string;
}

export interface RenewalSchedule {
  status: SubscriptionState;
  planId: string;
  interval: Interval;
  /** When the trial or the current period ends: the next renewal. */
  renewsAt: string;
  pendingChange: { planId: string; interval: Interval } | undefined;
}

export type RenewalOutcome =
  /** The period was renewed (or had been, by an earlier try of the same activity): bill this invoice. */
  | { renewed: true; invoiceId: string; amountDue: number; paid: boolean; periodStart: string; periodEnd: string }
  /** The period no longer ends at the given instant (a plan change moved it): read the schedule again. */
  | { renewed: false };

export interface ChargeResult {
  paid: boolean;
  /** `card_declined`, `no_payment_method`, `authentication_required`… when not paid. */
  failureCode?: string;
  declineCode?: string;
  message?: string;
}

export interface PlanChangeRequest {
  planId: string;
  interval: Interval;
  /** The caller's Idempotency-Key (or one the API made for the request): the same key never charges twice. */
  requestKey: string;
  /** The preview's proration date, to invoice exactly the previewed lines. */
  prorationDate?: string;
  actor: ActorRef;
}

export interface PlanChangeResult {
  status: 'applied' | 'scheduled';
  kind: 'upgrade' | 'downgrade';
  effectiveAt: string;
  planId: string;
  interval: Interval;
  /** The paid proration invoice of an upgrade. */
  invoiceId?: string;
  amountCharged: number;
  currency: string;
}

export interface CanceledPlanChange {
  planId: string;
  interval: Interval;
  effectiveAt: string;
}

export interface SubscriptionRef {
  accountId: string;
}

/** On the `billing` task queue. */
export interface BillingSubscriptionActivities {
  getRenewalSchedule(input: SubscriptionRef): Promise<RenewalSchedule>;
  /** Opens the period that starts at `periodEnd` (applying a pending downgrade) and its invoice; idempotent. */
  renewSubscription(input: SubscriptionRef & { periodEnd: string }): Promise<RenewalOutcome>;
  /** One off-session charge of the invoice under `idempotencyKey` (`<invoiceId>:attempt:<n>`); a decline is recorded and returned. */
  chargeInvoice(input: SubscriptionRef & { invoiceId: string; idempotencyKey: string }): Promise<ChargeResult>;
  /** Upgrades now (invoice, charge, apply once paid) or schedules a downgrade. Fails with `billing.card_declined`… */
  changePlan(input: SubscriptionRef & PlanChangeRequest): Promise<PlanChangeResult>;
  /** Fails with `billing.no_pending_change` when nothing is scheduled. */
  cancelPlanChange(input: SubscriptionRef & { actor: ActorRef }): Promise<CanceledPlanChange>;
}
