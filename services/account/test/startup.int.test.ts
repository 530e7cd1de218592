import path from 'node:path';
import { databaseUrlFor } from '@crm/platform/pg';
import { runServiceMain, stackEnv } from '@crm/testing';

const main = path.join(__dirname, '../src/main.ts');

// Each case starts a real process through tsx (about 2 s, more on a busy machine).
jest.setTimeout(30_000);

describe('a misconfigured account service stops at start with one clear line', () => {
  it('names a missing DATABASE_URL', async () => {
    const outcome = await runServiceMain(main, { KAFKA_BROKERS: stackEnv().KAFKA_BROKERS.join(',') });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr.trim().split('\n')).toEqual(['account: invalid configuration: DATABASE_URL is required but not set']);
  });

  it('names a malformed port', async () => {
    const outcome = await runServiceMain(main, { DATABASE_URL: stackEnv().DATABASE_URL, ACCOUNT_HTTP_PORT: 'eighty' });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
    expect(outcome.stderr).toMatch(/^account: invalid configuration: ACCOUNT_HTTP_PORT: /);
  });

  it('names unreachable Kafka within seconds', async () => {
    const outcome = await runServiceMain(main, {
      DATABASE_URL: databaseUrlFor(stackEnv().DATABASE_URL, 'crm_account_startup_check'),
      DATABASE_CREATE_IF_MISSING: 'true',
      KAFKA_BROKERS: '127.0.0.1:1',
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^account: failed to start: Kafka at 127\.0\.0\.1:1: .*ECONNREFUSED/),
    ]);
  }, 30_000);
});
