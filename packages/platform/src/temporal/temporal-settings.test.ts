import { parseConfig } from '../config/parse-config';
import { temporalSettingsSchema } from './temporal-settings';

describe('temporalSettingsSchema', () => {
  it('defaults to the local dev server and the default namespace', () => {
    expect(parseConfig('svc', temporalSettingsSchema, {})).toEqual({
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
    });
  });

  it('merges into a service schema', () => {
    const schema = temporalSettingsSchema.extend({ BILLING_THING: temporalSettingsSchema.shape.TEMPORAL_NAMESPACE });

    expect(parseConfig('billing', schema, { TEMPORAL_ADDRESS: 'temporal.crm.svc:7233', BILLING_THING: 'x' })).toEqual({
      TEMPORAL_ADDRESS: 'temporal.crm.svc:7233',
      TEMPORAL_NAMESPACE: 'default',
      BILLING_THING: 'x',
    });
  });

  it('names TEMPORAL_ADDRESS when it is not host:port', () => {
    expect(() => parseConfig('billing', temporalSettingsSchema, { TEMPORAL_ADDRESS: 'http://127.0.0.1:7233' })).toThrow(
      'billing: invalid configuration: TEMPORAL_ADDRESS: must be host:port, e.g. 127.0.0.1:7233',
    );
  });
});
