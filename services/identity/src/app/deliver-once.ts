import type { MailRequest } from '@crm/platform/mailer';
import type { Tx } from '@crm/platform/pg';
import { emailDeliveriesRepository } from '../adapters/email-deliveries.repository';
import type { IdentityDeps } from '../deps';

/** Decides, inside the claim's transaction, whether there is an email to send, and composes it when claimed. */
export type EmailPlan = (tx: Tx) => Promise<((tx: Tx) => Promise<MailRequest>) | undefined>;

/**
 * Sends an email once per idempotency key (ARCHITECTURE.md rule 4; the key comes from the workflow): the plan runs
 * and the key is claimed in one transaction, the email goes out, then the record is completed. A retried or
 * replayed activity finds the completed record and sends nothing. An attempt that died between SMTP and the
 * record is sent again with the same Message-ID (derived from the key), which is the most SMTP allows.
 */
export async function deliverOnce(
  deps: IdentityDeps,
  idempotencyKey: string,
  plan: EmailPlan,
): Promise<'sent' | 'already_sent' | 'nothing_to_send'> {
  const outcome = await deps.db.transaction(async (tx) => {
    const compose = await plan(tx);
    if (!compose) return 'nothing_to_send' as const;
    if ((await emailDeliveriesRepository.claim(tx, idempotencyKey)) === 'already_sent') return 'already_sent' as const;
    return compose(tx);
  });
  if (typeof outcome === 'string') return outcome;
  const { messageId } = await deps.mailer.send({ ...outcome, idempotencyKey });
  await emailDeliveriesRepository.complete(deps.db.pool, idempotencyKey, messageId);
  return 'sent';
}
