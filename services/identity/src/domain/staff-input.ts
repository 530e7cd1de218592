import { validationError, type FieldError } from '@crm/platform/errors';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface StaffDetails {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  profileId: string;
}

export interface AccessChoices {
  calendarIds: string[];
  pipelineIds: string[];
  copyAccessFrom?: string;
}

const name = (field: string, value: string, errors: FieldError[]) => {
  const trimmed = value.trim();
  if (trimmed.length < 1 || trimmed.length > 80)
    errors.push({ field, message: `${field} must be 1 to 80 characters`, code: 'length' });
  return trimmed;
};

/** Validates and normalises an invitation request (email lower-cased, names trimmed); 422 with every problem. */
export function validateInvitation(details: StaffDetails, access: AccessChoices): StaffDetails & AccessChoices {
  const errors: FieldError[] = [];
  const firstName = name('firstName', details.firstName, errors);
  const lastName = name('lastName', details.lastName, errors);
  const email = details.email.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254)
    errors.push({ field: 'email', message: 'email is not a valid address', code: 'invalid_format' });
  if (!E164.test(details.phone))
    errors.push({ field: 'phone', message: 'phone must be in E.164 form, e.g. +13125550100', code: 'invalid_format' });
  if (!details.profileId) errors.push({ field: 'profileId', message: 'profileId is required', code: 'required' });
  access.calendarIds.forEach((id, i) => {
    if (!UUID.test(id))
      errors.push({ field: `calendarIds.${i}`, message: 'calendar ids are UUIDs', code: 'invalid_format' });
  });
  access.pipelineIds.forEach((id, i) => {
    if (!UUID.test(id))
      errors.push({ field: `pipelineIds.${i}`, message: 'pipeline ids are UUIDs', code: 'invalid_format' });
  });
  if (access.copyAccessFrom !== undefined && !UUID.test(access.copyAccessFrom)) {
    errors.push({ field: 'copyAccessFrom', message: 'copyAccessFrom is a user id (UUID)', code: 'invalid_format' });
  }
  if (errors.length > 0) throw validationError(errors);
  return {
    firstName,
    lastName,
    email,
    phone: details.phone,
    profileId: details.profileId,
    calendarIds: [...new Set(access.calendarIds.map((id) => id.toLowerCase()))],
    pipelineIds: [...new Set(access.pipelineIds.map((id) => id.toLowerCase()))],
    copyAccessFrom: access.copyAccessFrom,
  };
}

/** Validates the fields of an update that are present. */
export function validateUpdate(update: Partial<Pick<StaffDetails, 'firstName' | 'lastName' | 'phone'>>) {
  const errors: FieldError[] = [];
  const out: Partial<Pick<StaffDetails, 'firstName' | 'lastName' | 'phone'>> = {};
  if (update.firstName !== undefined) out.firstName = name('firstName', update.firstName, errors);
  if (update.lastName !== undefined) out.lastName = name('lastName', update.lastName, errors);
  if (update.phone !== undefined) {
    if (!E164.test(update.phone))
      errors.push({
        field: 'phone',
        message: 'phone must be in E.164 form, e.g. +13125550100',
        code: 'invalid_format',
      });
    out.phone = update.phone;
  }
  if (errors.length > 0) throw validationError(errors);
  return out;
}

export const isUuid = (value: string) => UUID.test(value);
