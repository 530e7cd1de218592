import { loadConfig } from './config';

const OPERATOR_TOKEN = 'operator-token-0123456789';

describe('gateway configuration', () => {
  it('reuses a principal for 1 s by default, reading invalidations from the local Kafka', () => {
    expect(loadConfig({ OPERATOR_TOKEN })).toMatchObject({
      GATEWAY_PRINCIPAL_CACHE_TTL_MS: 1_000,
      GATEWAY_PRINCIPAL_CACHE_MAX_ENTRIES: 10_000,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PREFIX: '',
    });
  });

  it('accepts 0 (ask identity on every request) and refuses a time to live above a minute, naming the variable', () => {
    expect(loadConfig({ OPERATOR_TOKEN, GATEWAY_PRINCIPAL_CACHE_TTL_MS: '0' }).GATEWAY_PRINCIPAL_CACHE_TTL_MS).toBe(0);
    expect(() => loadConfig({ OPERATOR_TOKEN, GATEWAY_PRINCIPAL_CACHE_TTL_MS: '600000' })).toThrow(
      /GATEWAY_PRINCIPAL_CACHE_TTL_MS: .*60000/,
    );
    expect(() => loadConfig({ OPERATOR_TOKEN, GATEWAY_PRINCIPAL_CACHE_TTL_MS: 'a while' })).toThrow(
      /GATEWAY_PRINCIPAL_CACHE_TTL_MS/,
    );
  });
});
