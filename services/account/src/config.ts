import { z } from 'zod';
import { parseConfig, port } from '@crm/platform';
import { serviceSettingsSchema, type ServiceSettings } from '@crm/platform/service';

const schema = z.object({
  ...serviceSettingsSchema.shape,
  ACCOUNT_HTTP_HOST: z.string().default('127.0.0.1'),
  ACCOUNT_HTTP_PORT: port.default(8081),
});

/** Parsed once, at start; a bad or missing variable stops the process with a line naming it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServiceSettings {
  const parsed = parseConfig('account', schema, env);
  return { ...parsed, http: { host: parsed.ACCOUNT_HTTP_HOST, port: parsed.ACCOUNT_HTTP_PORT } };
}
