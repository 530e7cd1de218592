/** Figures a benchmark prints: rates, ratios, latency percentiles, and a plain-text table. */

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Events per second for `count` events over `elapsedMs`. */
export function perSecond(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (count * 1000) / elapsedMs : Number.POSITIVE_INFINITY;
}

/** Nearest-rank percentile (`p` in 0–100) of values sorted ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarizeLatencies(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: sorted.length > 0 ? total / sorted.length : Number.NaN,
  };
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const formatRate = (eventsPerSecond: number) => `${grouped.format(eventsPerSecond)} ev/s`;
export const formatMs = (ms: number) => `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
export const formatRatio = (ratio: number) => `${ratio.toFixed(2)}×`;

/** Rounds every number in a JSON-bound object to `digits` decimals, so the JSON line stays short. */
export function rounded<T>(value: T, digits = 2): T {
  return JSON.parse(
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'number' ? Number(item.toFixed(digits)) : item)),
  ) as T;
}

/** A left-aligned text table with a header rule, for terminals and for pasting into Markdown code blocks. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
