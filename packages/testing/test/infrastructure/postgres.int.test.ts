import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { stackEnv } from '@crm/testing';

describe('PostgreSQL on the local stack', () => {
  const client = new Client({ connectionString: stackEnv().DATABASE_URL });
  const table = `infra_check_${randomUUID().replaceAll('-', '')}`;

  beforeAll(() => client.connect());
  afterAll(async () => {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.end();
  });

  it('runs PostgreSQL 15', async () => {
    const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
    expect(Number(rows[0]?.server_version_num)).toBeGreaterThanOrEqual(150000);
  });

  it('stores a row and reads it back, and forgets a rolled-back one', async () => {
    await client.query(`CREATE TABLE ${table} (id uuid PRIMARY KEY, name text NOT NULL, amount bigint NOT NULL)`);
    const kept = randomUUID();
    await client.query(`INSERT INTO ${table} VALUES ($1, $2, $3)`, [kept, 'Acme Dental', 9700]);

    await client.query('BEGIN');
    await client.query(`INSERT INTO ${table} VALUES ($1, $2, $3)`, [randomUUID(), 'rolled back', 1]);
    await client.query('ROLLBACK');

    const { rows } = await client.query(`SELECT id, name, amount FROM ${table}`);
    expect(rows).toEqual([{ id: kept, name: 'Acme Dental', amount: '9700' }]);
  });
});
