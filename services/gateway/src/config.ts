import { z } from 'zod';
import { parseConfig, port } from '@crm/platform';

export const loadConfig = () =>
  parseConfig(
    'gateway',
    z.object({
      GATEWAY_HOST: z.string().default('127.0.0.1'),
      GATEWAY_PORT: port.default(8080),
      LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    }),
  );

export type Config = ReturnType<typeof loadConfig>;
