/**
 * Local calendar days in IANA time zones, fast enough for ten million orders: the UTC offset is looked
 * up once per zone and hour (offsets change at most on the hour boundaries of a DST switch... or at
 * quarter hours in a few zones, so the cache key is the quarter hour).
 */
const QUARTER_HOUR = 15 * 60 * 1000;
const DAY = 86_400_000;

export class LocalCalendar {
  private readonly formatters = new Map<string, Intl.DateTimeFormat>();
  private readonly offsets = new Map<string, Map<number, number>>();

  /** Offset of `zone` from UTC at instant `ms`, in ms (positive east of Greenwich). */
  offset(zone: string | undefined, ms: number): number {
    if (!zone || zone === 'UTC' || zone === 'Etc/UTC') return 0;
    let perZone = this.offsets.get(zone);
    if (!perZone) {
      perZone = new Map();
      this.offsets.set(zone, perZone);
    }
    const key = Math.floor(ms / QUARTER_HOUR);
    let offset = perZone.get(key);
    if (offset === undefined) {
      offset = this.computeOffset(zone, key * QUARTER_HOUR);
      perZone.set(key, offset);
    }
    return offset;
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
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** `2025-06-02T19:47:31Z`: UTC, whole seconds, as the contract writes times. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
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
