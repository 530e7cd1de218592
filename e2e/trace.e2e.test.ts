import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface ProbeReport {
  accountId: string;
  status: number;
  traceId: string;
  spans: { name: string; kind: number }[];
}

const SERVER = 1;
const PRODUCER = 3;
const CONSUMER = 4;

jest.setTimeout(120_000);

describe('one trace follows a provisioning request through every layer', () => {
  let report: ProbeReport;
  beforeAll(async () => {
    // The probe runs gateway, services and workers in one process with real auto-instrumentation (see its header).
    const { stdout } = await run('node', ['--import', 'tsx', path.join(__dirname, 'trace/trace-probe.ts')], {
      cwd: path.join(__dirname, '..'),
      timeout: 100_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ProbeReport;
  });

  const named = (name: string, kind?: number) =>
    report.spans.filter((span) => span.name === name && (kind === undefined || span.kind === kind));

  it('starts at the gateway request', () => {
    expect(report.status).toBe(201);
    expect(report.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(named('POST /operator/v1/accounts', SERVER)).toHaveLength(1);
  });

  it('continues into the account service through its internal API and out through the outbox relay', () => {
    expect(named('POST', SERVER).length).toBeGreaterThanOrEqual(1);
    expect(named('outbox publish', PRODUCER).length).toBeGreaterThanOrEqual(1);
  });

  it('continues in every consumer of account.account.created.v1 (account, identity, billing)', () => {
    expect(named('consume account.account.created.v1', CONSUMER).length).toBeGreaterThanOrEqual(3);
  });

  it('continues into the provisioning workflow and its activities on every task queue', () => {
    for (const name of [
      'StartWorkflow:accountProvisioningWorkflow',
      'RunWorkflow:accountProvisioningWorkflow',
      'RunActivity:confirmIdentityRegistration',
      'RunActivity:confirmBillingRegistration',
      'RunActivity:activateAccount',
    ]) {
      expect(named(name).length).toBeGreaterThanOrEqual(1);
    }
  });
});
