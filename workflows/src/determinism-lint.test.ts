import { execFile } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../..');

/** Lints `source` as if it were a workflow file, with the repository's ESLint configuration. */
function lintAsWorkflow(source: string): Promise<{ ruleId: string | null; message: string }[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [path.join(repoRoot, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '--stdin', '--stdin-filename', 'workflows/src/probe/workflow.ts'],
      { cwd: repoRoot },
      (error, stdout) => {
        try {
          const [result] = JSON.parse(stdout) as { messages: { ruleId: string | null; message: string }[] }[];
          resolve(result?.messages ?? []);
        } catch {
          reject(error ?? new Error(`eslint printed no JSON: ${stdout}`));
        }
      },
    );
    child.stdin?.end(source);
  });
}

describe('the workflow determinism boundary (lint)', () => {
  it('rejects a runtime import of anything but @temporalio/workflow and sibling files', async () => {
    const messages = await lintAsWorkflow("import { Pool } from 'pg';\nexport const pool = Pool;\n");
    expect(messages).toEqual([
      expect.objectContaining({ ruleId: '@typescript-eslint/no-restricted-imports', message: expect.stringContaining('deterministic') }),
    ]);
  }, 30_000);

  it('rejects node built-ins too', async () => {
    const messages = await lintAsWorkflow("import { randomUUID } from 'node:crypto';\nexport const id = randomUUID;\n");
    expect(messages.map((message) => message.ruleId)).toEqual(['@typescript-eslint/no-restricted-imports']);
  }, 30_000);

  it('accepts @temporalio/workflow, siblings, and type-only imports of anything', async () => {
    const messages = await lintAsWorkflow(
      [
        "import { sleep } from '@temporalio/workflow';",
        "import type { Pool } from 'pg';",
        "import { provisioningStatusQuery } from './messages';",
        'export const uses: [typeof sleep, Pool | undefined, typeof provisioningStatusQuery] = [sleep, undefined, provisioningStatusQuery];',
        '',
      ].join('\n'),
    );
    expect(messages).toEqual([]);
  }, 30_000);
});
