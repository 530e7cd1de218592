import { parseArgs } from 'node:util';

export type ParameterSpec = Record<string, { default: number; help: string }>;

const envName = (name: string) => `BENCH_${name.toUpperCase().replaceAll('-', '_')}`;

/**
 * A benchmark's numeric parameters: `--events 2000` or `BENCH_EVENTS=2000`, positive integers only; a bad value stops
 * with a message naming it, `--help` prints `usage` and every parameter, then exits.
 */
export function readBenchParams<S extends ParameterSpec>(spec: S, usage: string): Record<keyof S, number> {
  const options: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const name of Object.keys(spec)) options[name] = { type: 'string' };
  const { values } = parseArgs({ options, strict: true });
  if (values.help) {
    const lines = Object.entries(spec).map(
      ([name, { default: value, help }]) => `  --${name} (${envName(name)}, default ${value}): ${help}`,
    );
    console.log(`${usage}\n${lines.join('\n')}`);
    process.exit(0);
  }
  const params = {} as Record<keyof S, number>;
  for (const [name, { default: fallback }] of Object.entries(spec)) {
    const raw = (values[name] as string | undefined) ?? process.env[envName(name)];
    const value = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`--${name} (${envName(name)}) must be a positive integer, got "${raw}"`);
    }
    params[name as keyof S] = value;
  }
  return params;
}
