import { z } from 'zod';

/** Thrown when the environment does not satisfy a schema; its message names every offending variable. */
export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`${service}: invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Parses the environment once, at start. Empty strings count as missing so that `FOO=` in a shell
 * falls back to the default instead of failing validation with a confusing message.
 */
export function parseConfig<S extends z.ZodObject>(service: string, schema: S, env: Env = process.env): z.infer<S> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const missing = issue.code === 'invalid_type' && present[name] === undefined;
    return missing ? `${name} is required but not set` : `${name}: ${issue.message}`;
  });
  throw new ConfigError(service, problems);
}

/** A comma-separated list, e.g. `KAFKA_BROKERS=127.0.0.1:9092,127.0.0.1:9094`. */
export const commaList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  )
  .pipe(z.array(z.string()).min(1, 'must list at least one value'));

/** A port number given as a string. */
export const port = z.coerce.number().int().min(1).max(65535);
