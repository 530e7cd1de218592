import { validationError, type FieldError } from '@crm/platform/errors';

export interface BillingAddress {
  /** The company or person invoiced. */
  name: string;
  line1: string;
  line2: string;
  city: string;
  /** State, province or region; required where postal addresses need one (US, CA, AU). */
  region: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[a-z]{2,}$/i;
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const postalCodes: Record<string, { pattern: RegExp; example: string }> = {
  US: { pattern: /^\d{5}(-\d{4})?$/, example: '60601 or 60601-1234' },
  CA: { pattern: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i, example: 'K1A 0B1' },
  GB: { pattern: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i, example: 'SW1A 1AA' },
  FR: { pattern: /^\d{5}$/, example: '75001' },
  DE: { pattern: /^\d{5}$/, example: '10115' },
  AU: { pattern: /^\d{4}$/, example: '2000' },
};
const regionRequired = new Set(['US', 'CA', 'AU']);

/** Regions CLDR names that are not countries one can send an invoice to. */
const notCountries = new Set(['ZZ', 'EU', 'EZ', 'UN', 'QO']);
export const isCountryCode = (code: string) =>
  /^[A-Z]{2}$/.test(code) && !notCountries.has(code) && regionNames.of(code) !== undefined;

export function countryName(code: string): string {
  return regionNames.of(code) ?? code;
}

export const isEmail = (value: string) => value.length <= 254 && EMAIL.test(value);

/** Trims and checks a billing address; every problem becomes a field error of one 422 (`address.<field>`). */
export function validateBillingAddress(input: BillingAddress): BillingAddress {
  const address: BillingAddress = {
    name: input.name.trim(),
    line1: input.line1.trim(),
    line2: input.line2.trim(),
    city: input.city.trim(),
    region: input.region.trim(),
    postalCode: input.postalCode.trim().toUpperCase(),
    country: input.country.trim().toUpperCase(),
  };
  const errors: FieldError[] = [];
  const text = (field: keyof BillingAddress, label: string, min: number, max: number) => {
    const value = address[field];
    if (value.length < min || value.length > max) {
      errors.push({
        field: `address.${field}`,
        message:
          min > 0 ? `${label} is required (at most ${max} characters)` : `${label} must be at most ${max} characters`,
        code: value.length === 0 ? 'required' : 'length',
      });
    } else if (/[\u0000-\u001f\u007f]/.test(value)) {
      errors.push({
        field: `address.${field}`,
        message: `${label} must not contain control characters`,
        code: 'invalid_format',
      });
    }
  };
  text('name', 'the name on invoices', 1, 120);
  text('line1', 'the street address', 1, 200);
  text('line2', 'the second address line', 0, 200);
  text('city', 'the city', 1, 100);
  text('region', 'the state or region', regionRequired.has(address.country) ? 1 : 0, 100);
  text('postalCode', 'the postal code', 1, 16);
  if (!isCountryCode(address.country)) {
    errors.push({
      field: 'address.country',
      message: 'country must be an ISO 3166-1 alpha-2 code such as "US"',
      code: 'invalid_value',
    });
  } else {
    const rule = postalCodes[address.country];
    if (rule && address.postalCode.length > 0 && !rule.pattern.test(address.postalCode)) {
      errors.push({
        field: 'address.postalCode',
        message: `not a valid postal code for ${countryName(address.country)} (e.g. ${rule.example})`,
        code: 'invalid_format',
      });
    }
  }
  if (errors.length > 0) throw validationError(errors);
  return address;
}

/** Lower-cases and checks a billing email. */
export function validateBillingEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (!isEmail(normalized)) {
    throw validationError([
      { field: 'billingEmail', message: 'billingEmail is not a valid email address', code: 'invalid_format' },
    ]);
  }
  return normalized;
}

/** The address as the lines printed on an invoice. */
export function addressLines(address: BillingAddress): string[] {
  const cityLine = [address.city, [address.region, address.postalCode].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  return [address.name, address.line1, address.line2, cityLine, countryName(address.country)].filter(
    (line) => line.length > 0,
  );
}
