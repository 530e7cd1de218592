import type { Queryable } from '@crm/platform/pg';
import type { InvitationStatus } from '../domain/user';

export interface Invitation {
  id: string;
  accountId: string;
  userId: string;
  status: InvitationStatus;
  generation: number;
  issuedAt: Date;
  expiresAt: Date;
  invitedBy: string | null;
  calendarIds: string[];
  pipelineIds: string[];
  copyAccessFrom: string | null;
  createdAt: Date;
}

const columns = `i.id, i.account_id AS "accountId", i.user_id AS "userId", i.status, i.generation, i.issued_at AS "issuedAt",
  i.expires_at AS "expiresAt", i.invited_by AS "invitedBy", i.calendar_ids AS "calendarIds", i.pipeline_ids AS "pipelineIds",
  i.copy_access_from AS "copyAccessFrom", i.created_at AS "createdAt"`;

export const invitationsRepository = {
  async insert(db: Queryable, invitation: Invitation): Promise<void> {
    await db.query(
      `INSERT INTO invitations (id, account_id, user_id, status, generation, issued_at, expires_at, invited_by, calendar_ids,
         pipeline_ids, copy_access_from, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        invitation.id,
        invitation.accountId,
        invitation.userId,
        invitation.status,
        invitation.generation,
        invitation.issuedAt,
        invitation.expiresAt,
        invitation.invitedBy,
        invitation.calendarIds,
        invitation.pipelineIds,
        invitation.copyAccessFrom,
        invitation.createdAt,
      ],
    );
  },

  async findById(db: Queryable, accountId: string, id: string): Promise<Invitation | undefined> {
    const { rows } = await db.query<Invitation>(
      `SELECT ${columns} FROM invitations i WHERE i.account_id = $1 AND i.id = $2`,
      [accountId, id],
    );
    return rows[0];
  },

  async lockById(db: Queryable, accountId: string, id: string): Promise<Invitation | undefined> {
    const { rows } = await db.query<Invitation>(
      `SELECT ${columns} FROM invitations i WHERE i.account_id = $1 AND i.id = $2 FOR UPDATE`,
      [accountId, id],
    );
    return rows[0];
  },

  /** The user's latest invitation, locked. */
  async lockLatestForUser(db: Queryable, accountId: string, userId: string): Promise<Invitation | undefined> {
    const { rows } = await db.query<Invitation>(
      `SELECT ${columns} FROM invitations i WHERE i.account_id = $1 AND i.user_id = $2 ORDER BY i.created_at DESC LIMIT 1 FOR UPDATE`,
      [accountId, userId],
    );
    return rows[0];
  },

  /**
   * The invitation a link belongs to, and the generation the link was issued for. The token is the credential that
   * names the account, so this is the one lookup not scoped by an account id the caller already has.
   */
  async findByToken(
    db: Queryable,
    tokenHash: Buffer,
    lock: boolean,
  ): Promise<{ invitation: Invitation; tokenGeneration: number; tokenHash: Buffer } | undefined> {
    const { rows } = await db.query<Invitation & { tokenGeneration: number; tokenHash: Buffer }>(
      `SELECT ${columns}, t.generation AS "tokenGeneration", t.token_hash AS "tokenHash"
         FROM invitation_tokens t JOIN invitations i ON i.id = t.invitation_id AND i.account_id = t.account_id
        WHERE t.token_hash = $1 ${lock ? 'FOR UPDATE OF i' : ''}`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return undefined;
    const { tokenGeneration, tokenHash: stored, ...invitation } = row;
    return { invitation, tokenGeneration, tokenHash: stored };
  },

  async addToken(
    db: Queryable,
    invitation: Pick<Invitation, 'id' | 'accountId' | 'generation'>,
    tokenHash: Buffer,
    now: Date,
  ): Promise<void> {
    await db.query(
      'INSERT INTO invitation_tokens (token_hash, invitation_id, account_id, generation, issued_at) VALUES ($1, $2, $3, $4, $5)',
      [tokenHash, invitation.id, invitation.accountId, invitation.generation, now],
    );
  },

  async close(
    db: Queryable,
    accountId: string,
    id: string,
    status: Exclude<InvitationStatus, 'pending'>,
    now: Date,
  ): Promise<void> {
    await db.query('UPDATE invitations SET status = $3, closed_at = $4 WHERE account_id = $1 AND id = $2', [
      accountId,
      id,
      status,
      now,
    ]);
  },

  /** A resend: the next generation (older links die), pending again, the clock restarted. */
  async renew(db: Queryable, accountId: string, id: string, issuedAt: Date, expiresAt: Date): Promise<number> {
    const { rows } = await db.query<{ generation: number }>(
      `UPDATE invitations SET generation = generation + 1, status = 'pending', issued_at = $3, expires_at = $4, closed_at = NULL
        WHERE account_id = $1 AND id = $2 RETURNING generation`,
      [accountId, id, issuedAt, expiresAt],
    );
    return rows[0]?.generation ?? 0;
  },
};
