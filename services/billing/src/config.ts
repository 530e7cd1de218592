import { z } from 'zod';
import { parseConfig, port } from '@crm/platform';
import { serviceSettingsSchema, type ServiceSettings } from '@crm/platform/service';

const schema = z.object({
  ...serviceSettingsSchema.shape,
  BILLING_HTTP_HOST: z.string().default('127.0.0.1'),
  BILLING_HTTP_PORT: port.default(8083),
});

/** Parsed once, at start; a bad or missing variable stops the process with a line naming it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServiceSettings {
  const parsed = parseConfig('billing', schema, env);
  return { ...parsed, http: { host: parsed.BILLING_HTTP_HOST, port: parsed.BILLING_HTTP_PORT } };
}
