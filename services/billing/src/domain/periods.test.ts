import { addIntervals } from './periods';

const iso = (date: Date) => date.toISOString();

describe('addIntervals', () => {
  it('keeps the anchor day, ending on the last day of shorter months without drifting', () => {
    const anchor = new Date('2026-01-31T09:30:00Z');
    expect([1, 2, 3, 13].map((n) => iso(addIntervals(anchor, 'month', n)))).toEqual([
      '2026-02-28T09:30:00.000Z',
      '2026-03-31T09:30:00.000Z',
      '2026-04-30T09:30:00.000Z',
      '2027-02-28T09:30:00.000Z',
    ]);
  });

  it('renews annual plans on the same date, 28 February for a 29 February anchor', () => {
    expect(iso(addIntervals(new Date('2028-02-29T00:00:00Z'), 'year', 1))).toBe('2029-02-28T00:00:00.000Z');
    expect(iso(addIntervals(new Date('2028-02-29T00:00:00Z'), 'year', 4))).toBe('2032-02-29T00:00:00.000Z');
  });

  it('crosses year ends', () => {
    expect(iso(addIntervals(new Date('2026-12-15T00:00:00Z'), 'month', 1))).toBe('2027-01-15T00:00:00.000Z');
  });
});
