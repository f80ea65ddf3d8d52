/**
 * Lunar (âm lịch) dates for Vietnam, after Hồ Ngọc Đức's published algorithm
 * (astronomical new moons and solar terms, Jean Meeus' formulas), written here by hand so the
 * time zone is a parameter: Vietnam has reckoned its calendar on the UTC+7 meridian since 1968,
 * China on UTC+8, and the two differ on real dates (Tết 2030 is 2 February in Vietnam, 3 in China).
 * A few hundred bytes of arithmetic instead of a calendar package keeps the Worker bundle small.
 * Dates are plain `YYYY-MM-DD` strings on the civil (Gregorian) calendar.
 */

export const VIETNAM_UTC_OFFSET_HOURS = 7;

export interface LunarDate {
  day: number;
  month: number;
  year: number;
  leap: boolean;
}

const { PI, sin, floor } = Math;
const DR = PI / 180;

function jdFromDate(dd: number, mm: number, yy: number): number {
  const a = floor((14 - mm) / 12);
  const y = yy + 4800 - a;
  const m = mm + 12 * a - 3;
  return dd + floor((153 * m + 2) / 5) + 365 * y + floor(y / 4) - floor(y / 100) + floor(y / 400) - 32045;
}

function jdToIso(jd: number): string {
  const a = jd + 32044;
  const b = floor((4 * a + 3) / 146097);
  const c = a - floor((b * 146097) / 4);
  const d = floor((4 * c + 3) / 1461);
  const e = c - floor((1461 * d) / 4);
  const m = floor((5 * e + 2) / 153);
  const day = e - floor((153 * m + 2) / 5) + 1;
  const month = m + 3 - 12 * floor(m / 10);
  const year = b * 100 + d - 4800 + floor(m / 10);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Julian day (fractional, UT) of the k-th new moon after 1900-01-01 (Meeus). */
function newMoonJd(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3;
  jd1 += 0.00033 * sin((166.56 + 132.87 * T - 0.009173 * T2) * DR);
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3;
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3;
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3;
  let C1 = (0.1734 - 0.000393 * T) * sin(M * DR) + 0.0021 * sin(2 * DR * M);
  C1 = C1 - 0.4068 * sin(Mpr * DR) + 0.0161 * sin(DR * 2 * Mpr);
  C1 -= 0.0004 * sin(DR * 3 * Mpr);
  C1 = C1 + 0.0104 * sin(DR * 2 * F) - 0.0051 * sin(DR * (M + Mpr));
  C1 = C1 - 0.0074 * sin(DR * (M - Mpr)) + 0.0004 * sin(DR * (2 * F + M));
  C1 = C1 - 0.0004 * sin(DR * (2 * F - M)) - 0.0006 * sin(DR * (2 * F + Mpr));
  C1 = C1 + 0.001 * sin(DR * (2 * F - Mpr)) + 0.0005 * sin(DR * (2 * Mpr + M));
  const deltaT =
    T < -11
      ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
      : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return jd1 + C1 - deltaT;
}

/** Sun's apparent longitude (radians, 0..2π) at a fractional Julian day. */
function sunLongitude(jdn: number): number {
  const T = (jdn - 2451545.0) / 36525;
  const T2 = T * T;
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2;
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  let DL = (1.9146 - 0.004817 * T - 0.000014 * T2) * sin(DR * M);
  DL = DL + (0.019993 - 0.000101 * T) * sin(DR * 2 * M) + 0.00029 * sin(DR * 3 * M);
  let L = (L0 + DL) * DR;
  L -= PI * 2 * floor(L / (PI * 2));
  return L;
}

/** Local civil day (Julian day number) of the k-th new moon in the given zone. */
function newMoonDay(k: number, tz: number): number {
  return floor(newMoonJd(k) + 0.5 + tz / 24);
}

/** Which of the 12 thirty-degree sectors the sun is in at local midnight starting day `jdn`. */
function sunSector(jdn: number, tz: number): number {
  return floor((sunLongitude(jdn - 0.5 - tz / 24) / PI) * 6);
}

/** The day the 11th lunar month (the one holding the winter solstice) begins, in year `yy`. */
function lunarMonth11(yy: number, tz: number): number {
  const off = jdFromDate(31, 12, yy) - 2415021;
  const k = floor(off / 29.530588853);
  let nm = newMoonDay(k, tz);
  if (sunSector(nm, tz) >= 9) nm = newMoonDay(k - 1, tz);
  return nm;
}

/** Index (1..) of the leap month after the 11th month starting `a11`. */
function leapMonthOffset(a11: number, tz: number): number {
  const k = floor((a11 - 2415021.076998695) / 29.530588853 + 0.5);
  let last = 0;
  let i = 1;
  let arc = sunSector(newMoonDay(k + i, tz), tz);
  do {
    last = arc;
    i++;
    arc = sunSector(newMoonDay(k + i, tz), tz);
  } while (arc !== last && i < 14);
  return i - 1;
}

function monthStarts(lunarYear: number, tz: number): { a11: number; b11: number; k: number } {
  const a11 = lunarMonth11(lunarYear - 1, tz);
  const b11 = lunarMonth11(lunarYear, tz);
  const k = floor(0.5 + (a11 - 2415021.076998695) / 29.530588853);
  return { a11, b11, k };
}

/** The civil date of a lunar date; a leap month that does not exist yields null. */
export function lunarToSolar(
  lunar: LunarDate,
  tz: number = VIETNAM_UTC_OFFSET_HOURS,
): string | null {
  const { a11, b11, k } = monthStarts(lunar.month < 11 ? lunar.year : lunar.year + 1, tz);
  let off = lunar.month - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11, tz);
    let leapMonth = leapOff - 2;
    if (leapMonth < 0) leapMonth += 12;
    if (lunar.leap && lunar.month !== leapMonth) return null;
    if (lunar.leap || off >= leapOff) off += 1;
  } else if (lunar.leap) {
    return null;
  }
  return jdToIso(newMoonDay(k + off, tz) + lunar.day - 1);
}

/** The lunar date of a civil date `YYYY-MM-DD`. */
export function solarToLunar(iso: string, tz: number = VIETNAM_UTC_OFFSET_HOURS): LunarDate {
  const [yy, mm, dd] = iso.split('-').map(Number) as [number, number, number];
  const dayNumber = jdFromDate(dd, mm, yy);
  const k = floor((dayNumber - 2415021.076998695) / 29.530588853);
  let monthStart = newMoonDay(k + 1, tz);
  if (monthStart > dayNumber) monthStart = newMoonDay(k, tz);
  let a11 = lunarMonth11(yy, tz);
  let b11 = a11;
  let year: number;
  if (a11 >= monthStart) {
    year = yy;
    a11 = lunarMonth11(yy - 1, tz);
  } else {
    year = yy + 1;
    b11 = lunarMonth11(yy + 1, tz);
  }
  const day = dayNumber - monthStart + 1;
  const diff = floor((monthStart - a11) / 29);
  let leap = false;
  let month = diff + 11;
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11, tz);
    if (diff >= leapDiff) {
      month = diff + 10;
      if (diff === leapDiff) leap = true;
    }
  }
  if (month > 12) month -= 12;
  if (month >= 11 && diff < 4) year -= 1;
  return { day, month, year, leap };
}

/** Tết Nguyên đán (1/1 lunar) of a civil year. */
export function tetDate(year: number, tz: number = VIETNAM_UTC_OFFSET_HOURS): string {
  return lunarToSolar({ day: 1, month: 1, year, leap: false }, tz) ?? '';
}
