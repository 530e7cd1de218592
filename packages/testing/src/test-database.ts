import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { databaseUrlFor } from '@crm/platform/pg';
import { stackEnv } from './stack-env';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the stack's PostgreSQL server; `drop()` removes it (and its connections). */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`.toLowerCase();
  const admin = new pg.Client({ connectionString: databaseUrlFor(stackEnv().DATABASE_URL, 'postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    name,
    url: databaseUrlFor(stackEnv().DATABASE_URL, name),
    async drop() {
      const client = new pg.Client({ connectionString: databaseUrlFor(stackEnv().DATABASE_URL, 'postgres') });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A topic prefix unique to one test, so tests sharing the stack's Kafka never read each other's events. */
export const uniqueTopicPrefix = () => `t${randomUUID().slice(0, 8)}.`;

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
