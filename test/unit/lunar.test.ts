import { describe, expect, it } from 'vitest';
import { lunarToSolar, solarToLunar, tetDate } from '#src/domain/calendar/lunar.js';

// Computed for UTC+7 (research section 5.2); 2024–2026 match the Government's announced dates.
const TET: Record<number, string> = {
  2024: '2024-02-10', 2025: '2025-01-29', 2026: '2026-02-17', 2027: '2027-02-06',
  2028: '2028-01-26', 2029: '2029-02-13', 2030: '2030-02-02', 2031: '2031-01-23',
  2032: '2032-02-11', 2033: '2033-01-31', 2034: '2034-02-19', 2035: '2035-02-08',
};
const GIO_TO: Record<number, string> = {
  2024: '2024-04-18', 2025: '2025-04-07', 2026: '2026-04-26', 2027: '2027-04-16',
  2028: '2028-04-04', 2029: '2029-04-23', 2030: '2030-04-12', 2031: '2031-04-01',
  2032: '2032-04-19', 2033: '2033-04-09', 2034: '2034-04-28', 2035: '2035-04-17',
};

describe('lunar dates on the UTC+7 meridian', () => {
  it('puts Tết on the vectors for every year 2024–2035', () => {
    for (const [year, date] of Object.entries(TET)) expect([year, tetDate(Number(year))]).toEqual([year, date]);
  });

  it('puts Giỗ Tổ Hùng Vương (10/3 lunar) on the vectors for every year 2024–2035', () => {
    for (const [year, date] of Object.entries(GIO_TO)) {
      expect([year, lunarToSolar({ day: 10, month: 3, year: Number(year), leap: false })]).toEqual([year, date]);
    }
  });

  it('differs from China (UTC+8) where the meridian matters: 2030, 2007, 1985', () => {
    expect(tetDate(2030, 8)).toBe('2030-02-03');
    expect([tetDate(2007), tetDate(2007, 8)]).toEqual(['2007-02-17', '2007-02-18']);
    expect([tetDate(1985), tetDate(1985, 8)]).toEqual(['1985-01-21', '1985-02-20']);
  });

  it('converts back, including the leap sixth month of 2025', () => {
    expect(solarToLunar('2026-04-26')).toEqual({ day: 10, month: 3, year: 2026, leap: false });
    expect(solarToLunar('2030-02-01')).toEqual({ day: 29, month: 12, year: 2029, leap: false });
    expect(solarToLunar('2025-08-01')).toEqual({ day: 8, month: 6, year: 2025, leap: true });
    expect(lunarToSolar({ day: 8, month: 6, year: 2025, leap: true })).toBe('2025-08-01');
    expect(lunarToSolar({ day: 1, month: 5, year: 2025, leap: true })).toBeNull();
  });
});
