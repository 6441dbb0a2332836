/**
 * A Date whose "local" fields are its UTC fields. date-fns `parse` builds its result with the local
 * setters, so a plain Date would make the result depend on the machine's time zone (and skip the
 * hour that machine's DST gap removes); parsed through this class the result is the wall-clock time
 * as written, which the importer then places in the mapping's time zone.
 */
type Setter = (this: Date, ...values: number[]) => number;

/** The leading arguments that were given: an explicit `undefined` would make a Date setter return NaN. */
function given(...values: (number | undefined)[]): number[] {
  const end = values.indexOf(undefined);
  return (end < 0 ? values : values.slice(0, end)) as number[];
}

export class WallClockDate extends Date {
  override getFullYear(): number {
    return this.getUTCFullYear();
  }
  override getMonth(): number {
    return this.getUTCMonth();
  }
  override getDate(): number {
    return this.getUTCDate();
  }
  override getDay(): number {
    return this.getUTCDay();
  }
  override getHours(): number {
    return this.getUTCHours();
  }
  override getMinutes(): number {
    return this.getUTCMinutes();
  }
  override getSeconds(): number {
    return this.getUTCSeconds();
  }
  override getMilliseconds(): number {
    return this.getUTCMilliseconds();
  }
  override getTimezoneOffset(): number {
    return 0;
  }
  override setFullYear(year: number, month?: number, date?: number): number {
    return (Date.prototype.setUTCFullYear as Setter).call(this, year, ...given(month, date));
  }
  override setMonth(month: number, date?: number): number {
    return (Date.prototype.setUTCMonth as Setter).call(this, month, ...given(date));
  }
  override setDate(date: number): number {
    return this.setUTCDate(date);
  }
  override setHours(hours: number, min?: number, sec?: number, ms?: number): number {
    return (Date.prototype.setUTCHours as Setter).call(this, hours, ...given(min, sec, ms));
  }
  override setMinutes(min: number, sec?: number, ms?: number): number {
    return (Date.prototype.setUTCMinutes as Setter).call(this, min, ...given(sec, ms));
  }
  override setSeconds(sec: number, ms?: number): number {
    return (Date.prototype.setUTCSeconds as Setter).call(this, sec, ...given(ms));
  }
  override setMilliseconds(ms: number): number {
    return this.setUTCMilliseconds(ms);
  }
}
