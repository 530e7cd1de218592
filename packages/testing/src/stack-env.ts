import { z } from 'zod';
import { commaList, parseConfig } from '@crm/platform';

const stackEnvSchema = z.object({
  DATABASE_URL: z.url(),
  KAFKA_BROKERS: commaList,
  TEMPORAL_ADDRESS: z.string().min(1),
  STRIPE_API_BASE: z.url(),
  SMTP_URL: z.url(),
  MAILPIT_URL: z.url(),
  TEMPORAL_TEST_SERVER_PATH: z.string().min(1),
});

export type StackEnv = z.infer<typeof stackEnvSchema>;

let cached: StackEnv | undefined;

/**
 * Addresses of the running local stack, as printed by `deploy/local/stack.sh env`.
 * `npm test` exports them; running jest by hand needs `eval "$(bash deploy/local/stack.sh env)"` first.
 */
export function stackEnv(): StackEnv {
  cached ??= parseConfig('test stack (run `npm test`, or eval "$(bash deploy/local/stack.sh env)")', stackEnvSchema);
  return cached;
}
