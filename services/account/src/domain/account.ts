import { validationError, type FieldError } from '@crm/platform/errors';

export type AccountStatus = 'provisioning' | 'active' | 'paused' | 'closing' | 'closed' | 'purged';
export type BillingInterval = 'month' | 'year';

export interface AccountOwner {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
}

export interface Account {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  status: AccountStatus;
  owner: AccountOwner;
  planId: string;
  interval: BillingInterval;
  trialDays: number;
  /** The owner's user and invitation ids, chosen here so identity creates them with these ids. */
  ownerUserId: string;
  ownerInvitationId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProvisionAccount {
  name: string;
  slug?: string;
  timezone: string;
  owner: AccountOwner;
  planId: string;
  interval: string;
  trialDays?: number;
}

export const DEFAULT_TRIAL_DAYS = 14;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** `Acme Dental, LLC` → `acme-dental-llc`: lowercase ASCII letters, digits and single dashes, at most 40. */
export function slugFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return slug.length >= 3 ? slug : `account-${slug}`.replace(/-+$/, '');
}

export function isTimezone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value.length > 0;
  } catch {
    return false;
  }
}

/** Validates a provisioning request and builds the new account in `provisioning` status. */
export function newAccount(
  command: ProvisionAccount,
  ids: { id: string; ownerUserId: string; ownerInvitationId: string },
  now: Date,
  slug: string,
): Account {
  const errors: FieldError[] = [];
  const name = command.name.trim();
  if (name.length < 2 || name.length > 120) errors.push({ field: 'name', message: 'name must be 2 to 120 characters', code: 'length' });
  if (!SLUG.test(slug)) {
    errors.push({ field: 'slug', message: 'slug must be 3–40 lowercase letters, digits or dashes, not starting or ending with a dash', code: 'invalid_format' });
  }
  if (!isTimezone(command.timezone)) errors.push({ field: 'timezone', message: `unknown IANA time zone "${command.timezone}"`, code: 'invalid_timezone' });
  if (!EMAIL.test(command.owner.email)) errors.push({ field: 'owner.email', message: 'owner email is not a valid address', code: 'invalid_format' });
  if (!E164.test(command.owner.phone)) errors.push({ field: 'owner.phone', message: 'owner phone must be in E.164 form, e.g. +13125550100', code: 'invalid_format' });
  for (const part of ['firstName', 'lastName'] as const) {
    if (command.owner[part].trim().length === 0) errors.push({ field: `owner.${part}`, message: `owner ${part} is required`, code: 'required' });
  }
  if (!/^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$/.test(command.planId)) {
    errors.push({ field: 'planId', message: 'planId must be a plan slug such as "starter"', code: 'invalid_format' });
  }
  if (command.interval !== 'month' && command.interval !== 'year') {
    errors.push({ field: 'interval', message: 'interval must be "month" or "year"', code: 'invalid_value' });
  }
  const trialDays = command.trialDays ?? DEFAULT_TRIAL_DAYS;
  if (!Number.isInteger(trialDays) || trialDays < 0 || trialDays > 365) {
    errors.push({ field: 'trialDays', message: 'trialDays must be a whole number from 0 to 365', code: 'out_of_range' });
  }
  if (errors.length > 0) throw validationError(errors);
  return {
    ...ids,
    slug,
    name,
    timezone: command.timezone,
    status: 'provisioning',
    owner: { ...command.owner, email: command.owner.email.trim().toLowerCase() },
    planId: command.planId,
    interval: command.interval as BillingInterval,
    trialDays,
    createdAt: now,
    updatedAt: now,
  };
}
