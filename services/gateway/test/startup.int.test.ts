import path from 'node:path';
import { runServiceMain } from '@crm/testing';

// Each case starts a real process through tsx (about 2 s, more on a busy machine).
jest.setTimeout(30_000);

describe('a misconfigured gateway stops at start with one clear line', () => {
  it('names a missing or too short OPERATOR_TOKEN', async () => {
    const missing = await runServiceMain(path.join(__dirname, '../src/main.ts'), {});
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('gateway: invalid configuration: OPERATOR_TOKEN is required but not set');

    const short = await runServiceMain(path.join(__dirname, '../src/main.ts'), { OPERATOR_TOKEN: 'short' });
    expect(short.code).toBe(1);
    expect(short.stderr.trim()).toBe('gateway: invalid configuration: OPERATOR_TOKEN: must be at least 16 characters');
  });
});
