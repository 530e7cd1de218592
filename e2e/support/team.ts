import { randomUUID } from 'node:crypto';
import { eventually } from '@crm/testing';
import { anAccountRequest, api, operator } from './api';
import { emailsTo, linkIn } from './mailpit';

export const PASSWORD = 'a long enough e2e passphrase';

export interface SignedIn {
  id: string;
  email: string;
  token: string;
}

export interface TeamAccount {
  accountId: string;
  slug: string;
  owner: SignedIn;
}

/** The token of the newest invitation email to `email`. */
async function invitationToken(email: string): Promise<string> {
  const mails = await emailsTo(email);
  const invitation = mails.find((mail) => mail.Subject.includes('invited you'));
  return new URL(linkIn(invitation?.Text ?? '', '/invite/')).pathname.split('/').pop() ?? '';
}

async function acceptAndSignIn(slug: string, email: string): Promise<string> {
  const accepted = await api('POST', `/v1/invitations/${await invitationToken(email)}/accept`, {
    body: { password: PASSWORD },
  });
  if (accepted.status !== 200) throw new Error(`accepting the invitation of ${email}: ${accepted.status}`);
  const login = await api('POST', '/v1/auth/login', { body: { account: slug, email, password: PASSWORD } });
  if (login.status !== 200) throw new Error(`signing in as ${email}: ${login.status} ${JSON.stringify(login.body)}`);
  return login.body.token as string;
}

/** A provisioned account whose owner (an Admin) has joined and signed in, once the account is active. */
export async function anAccountWithOwner(overrides: Record<string, unknown> = {}): Promise<TeamAccount> {
  const request = anAccountRequest(overrides);
  const email = (request.owner as { email: string }).email;
  const created = await operator('POST', '/operator/v1/accounts', request);
  if (created.status !== 201) throw new Error(`provisioning: ${created.status} ${JSON.stringify(created.body)}`);
  const { id: accountId, slug } = created.body.account as { id: string; slug: string };
  const token = await acceptAndSignIn(slug, email);
  await eventually(async () => {
    const account = await operator('GET', `/operator/v1/accounts/${accountId}`);
    return account.body.account?.status === 'active' ? true : undefined;
  }, 30_000);
  return { accountId, slug, owner: { id: created.body.owner.id as string, email, token } };
}

/** A member invited by the owner with `profileId`, who joined and signed in. */
export async function aMember(account: TeamAccount, profileId: string, firstName = 'Grace'): Promise<SignedIn> {
  const email = `${firstName.toLowerCase()}.${randomUUID().slice(0, 8)}@acme.test`;
  const invited = await api('POST', '/v1/staff', {
    token: account.owner.token,
    body: { firstName, lastName: 'Member', email, phone: '+13125550123', profileId },
  });
  if (invited.status !== 201) throw new Error(`inviting ${email}: ${invited.status} ${JSON.stringify(invited.body)}`);
  return { id: invited.body.id as string, email, token: await acceptAndSignIn(account.slug, email) };
}

/** A custom profile created by the owner. */
export async function aProfile(account: TeamAccount, name: string, permissions: string[]): Promise<string> {
  const created = await api('POST', '/v1/permission-profiles', {
    token: account.owner.token,
    body: { name, permissions },
  });
  if (created.status !== 201)
    throw new Error(`creating profile ${name}: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.profile.id as string;
}

/** The Virtual Assistant of PRODUCT.md §3: contacts.view, contacts.edit, marketing.view — not marketing.send. */
export const VA_PERMISSIONS = ['contacts.view', 'contacts.edit', 'marketing.view'];
