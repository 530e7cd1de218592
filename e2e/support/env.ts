import { z } from 'zod';
import { parseConfig } from '@crm/platform';

const schema = z.object({
  GATEWAY_URL: z.url().default('http://127.0.0.1:8080'),
  OPERATOR_TOKEN: z.string().min(16),
  MAILPIT_URL: z.url(),
  TEMPORAL_ADDRESS: z.string().min(1),
});

let cached: z.infer<typeof schema> | undefined;

/** The running product: `npm test` starts the services and exports these. */
export const e2eEnv = () => (cached ??= parseConfig('e2e tests (run `npm test`)', schema));
