import { addressLines, validateBillingAddress, validateBillingEmail, type BillingAddress } from './billing-address';

const anAddress = (overrides: Partial<BillingAddress> = {}): BillingAddress => ({
  name: 'Acme Dental LLC',
  line1: '233 S Wacker Dr',
  line2: 'Suite 4400',
  city: 'Chicago',
  region: 'IL',
  postalCode: '60606',
  country: 'us',
  ...overrides,
});

describe('validateBillingAddress', () => {
  it('normalises a valid address', () => {
    expect(validateBillingAddress(anAddress({ city: '  Chicago ' }))).toMatchObject({ city: 'Chicago', country: 'US' });
  });

  it('names every invalid field', () => {
    let error: { code: string; fieldErrors: { field: string }[] } | undefined;
    try {
      validateBillingAddress(anAddress({ line1: '', country: 'ZZ', postalCode: '' }));
    } catch (caught) {
      error = caught as typeof error;
    }
    expect(error?.code).toBe('validation.failed');
    expect(error?.fieldErrors.map((e) => e.field).sort()).toEqual([
      'address.country',
      'address.line1',
      'address.postalCode',
    ]);
  });

  it('checks the postal code format of countries it knows', () => {
    expect(() => validateBillingAddress(anAddress({ postalCode: 'ABCDE' }))).toThrow(
      'not a valid postal code for United States',
    );
    expect(() => validateBillingAddress(anAddress({ country: 'US', region: '' }))).toThrow(
      'the state or region is required',
    );
  });

  it('prints the address as invoice lines', () => {
    expect(addressLines(validateBillingAddress(anAddress()))).toEqual([
      'Acme Dental LLC',
      '233 S Wacker Dr',
      'Suite 4400',
      'Chicago, IL 60606',
      'United States',
    ]);
  });
});

describe('validateBillingEmail', () => {
  it('lower-cases a valid email and refuses an invalid one', () => {
    expect(validateBillingEmail(' Billing@Acme.Test ')).toBe('billing@acme.test');
    expect(() => validateBillingEmail('not-an-email')).toThrow('not a valid email');
  });
});
