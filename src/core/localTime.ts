/**
 * Local calendar days in IANA time zones, fast enough for ten million orders. The UTC offset is looked
 * up once per zone and UTC day; only on a day with a change (DST) is it looked up per quarter hour
 * (a few zones change at quarter hours).
 */
const QUARTER_HOUR = 15 * 60 * 1000;
/** Milliseconds in a UTC day: the one definition. */
export const DAY_MS = 86_400_000;
const DAY = DAY_MS;

export class LocalCalendar {
  private readonly formatters = new Map<string, Intl.DateTimeFormat>();
  /** Per zone: UTC day -> offset for the whole day, or NaN when it changes during that day. */
  private readonly daily = new Map<string, Map<number, number>>();
  private readonly quarterly = new Map<string, Map<number, number>>();

  /** Offset of `zone` from UTC at instant `ms`, in ms (positive east of Greenwich). */
  offset(zone: string | undefined, ms: number): number {
    if (!zone || zone === 'UTC' || zone === 'Etc/UTC') return 0;
    let perDay = this.daily.get(zone);
    if (!perDay) {
      perDay = new Map();
      this.daily.set(zone, perDay);
      this.quarterly.set(zone, new Map());
    }
    const day = Math.floor(ms / DAY);
    let offset = perDay.get(day);
    if (offset === undefined) {
      const start = this.computeOffset(zone, day * DAY);
      const end = this.computeOffset(zone, (day + 1) * DAY - 1000);
      offset = start === end ? start : NaN;
      perDay.set(day, offset);
    }
    if (!Number.isNaN(offset)) return offset;
    const perQuarter = this.quarterly.get(zone)!;
    const key = Math.floor(ms / QUARTER_HOUR);
    let exact = perQuarter.get(key);
    if (exact === undefined) {
      exact = this.computeOffset(zone, key * QUARTER_HOUR);
      perQuarter.set(key, exact);
    }
    return exact;
  }

  /** Days since 1970-01-01 of the local calendar date at `ms` in `zone`. */
  dayNumber(zone: string | undefined, ms: number): number {
    return Math.floor((ms + this.offset(zone, ms)) / DAY);
  }

  private computeOffset(zone: string, ms: number): number {
    let formatter = this.formatters.get(zone);
    if (!formatter) {
      try {
        formatter = new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
        });
      } catch {
        // An unknown zone name: fall back to UTC rather than failing the whole computation.
        formatter = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
      }
      this.formatters.set(zone, formatter);
    }
    const parts: Record<string, number> = {};
    for (const part of formatter.formatToParts(new Date(ms))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
    return asUtc - (ms - (ms % 1000));
  }
}

/** `YYYY-MM-DD` of a day number. */
export function dayNumberToDate(day: number): string {
  const [year, month, dayOfMonth] = civilFromDays(day);
  return `${year}-${pad2(month)}-${pad2(dayOfMonth)}`;
}

/** Year, month (1-12) and day of a day number (days since 1970-01-01), proleptic Gregorian (H. Hinnant's civil_from_days). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** `2025-06-02T19:47:31Z`: UTC, whole seconds, as the contract writes times. Arithmetic, no Date: it runs millions of times. */
export function formatTimestamp(ms: number): string {
  const days = Math.floor(ms / DAY);
  const [year, month, day] = civilFromDays(days);
  const seconds = Math.floor((ms - days * DAY) / 1000);
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}Z`;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant at which the wall-clock time `localMs` (a UTC-based ms value of the local date and time)
 * happens in `zone`. Used to read exports whose dates carry no offset.
 */
export function zonedWallTimeToInstant(calendar: LocalCalendar, zone: string, localMs: number): number {
  // Two passes settle DST edges: guess with the offset at the wall time, then at the guessed instant.
  let guess = localMs - calendar.offset(zone, localMs);
  guess = localMs - calendar.offset(zone, guess);
  return guess;
}
