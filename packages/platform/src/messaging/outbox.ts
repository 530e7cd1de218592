import type { EventEnvelope } from '@crm/contracts';
import { eventByType } from '@crm/contracts';
import { currentTraceContext } from '../telemetry';
import type { Queryable } from '../pg/database';

/**
 * Appends events to the outbox inside the caller's transaction: they are published if and only if it commits.
 * The topic comes from the event catalogue, the key is the account id (per-account order), and the active
 * trace context is stored with the row so the consumer continues the request's trace.
 */
export async function appendToOutbox(tx: Queryable, ...envelopes: EventEnvelope<unknown>[]): Promise<void> {
  for (const envelope of envelopes) {
    const event = eventByType(envelope.type);
    if (!event) throw new Error(`event type "${envelope.type}" is not in the catalogue (packages/contracts)`);
    const { topic } = event;
    const trace = envelope.trace?.traceparent ? envelope.trace : currentTraceContext();
    const stored = { ...envelope, trace };
    await tx.query(
      `INSERT INTO outbox (event_id, topic, message_key, event_type, envelope, headers)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [envelope.id, topic, envelope.accountId, envelope.type, stored, trace],
    );
  }
}
