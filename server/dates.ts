// Dates as people type and read them, in their own time zone, on top of Intl (no date library:
// Intl carries the time zone database). Stored times are ISO 8601 UTC strings.
import { message, type MessageRef } from './i18n/messages.js';

const ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

export function isTimeZone(value: string): boolean {
  return ZONES.has(value);
}

export function timeZones(): string[] {
  return [...ZONES].sort();
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock reading of an instant in a time zone. */
export function wallClock(instant: Date, timeZone: string): Parts {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    partFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second),
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatDate(iso: string, timeZone: string): string {
  const p = wallClock(new Date(iso), timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

export function formatDateTime(iso: string, timeZone: string): string {
  const p = wallClock(new Date(iso), timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

export function formatTime(iso: string, timeZone: string): string {
  const p = wallClock(new Date(iso), timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** The UTC instant at which the wall clock in `timeZone` shows the given reading. */
function fromWallClock(p: Parts, timeZone: string): Date {
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  // Two passes find the offset in force at that moment, also next to a daylight-saving change.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const seen = wallClock(new Date(guess), timeZone);
    const offset = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second) - guess;
    guess = asUtc - offset;
  }
  return new Date(guess);
}

export type ParsedDate = { ok: true; value: string | null } | { ok: false; error: MessageRef };

/**
 * A date typed as YYYY-MM-DD with an optional HH:MM, read in the user's time zone. Empty means "no date".
 * Without a time, `defaultTime` applies (start of day for start dates, end of day for due dates).
 */
export function parseLocalDate(date: string, time: string, timeZone: string, defaultTime: '00:00' | '23:59'): ParsedDate {
  const d = date.trim();
  const t = time.trim();
  if (!d && !t) return { ok: true, value: null };
  const dm = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(d);
  if (!dm) return { ok: false, error: message('dates.notADate', { typed: d || t }) };
  const tm = /^(\d{1,2}):(\d{2})$/.exec(t || defaultTime);
  if (!tm) return { ok: false, error: message('dates.notATime', { typed: t }) };
  const parts = { year: Number(dm[1]), month: Number(dm[2]), day: Number(dm[3]), hour: Number(tm[1]), minute: Number(tm[2]), second: 0 };
  const check = new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
  if (check.getUTCFullYear() !== parts.year || check.getUTCMonth() !== parts.month - 1 || check.getUTCDate() !== parts.day
    || parts.year < 1900 || parts.year > 2999) {
    return { ok: false, error: message('dates.notADay', { typed: d }) };
  }
  if (parts.hour > 23 || parts.minute > 59) return { ok: false, error: message('dates.notATimeOfDay', { typed: t }) };
  return { ok: true, value: fromWallClock(parts, timeZone).toISOString() };
}

/** What a date field shows for editing: the date and the time, in the user's time zone. */
export function dateFields(iso: string | null, timeZone: string): { date: string; time: string } {
  if (!iso) return { date: '', time: '' };
  const [date, time] = formatDateTime(iso, timeZone).split(' ');
  return { date: date!, time: time! };
}

/**
 * A date as people and spreadsheets write it: ISO with a zone, else YYYY-MM-DD[ HH:MM], D.M.YYYY or
 * M/D/YYYY, read in `timeZone`; null for an empty text.
 */
export function readDateText(text: string, timeZone: string, defaultTime: '00:00' | '23:59'): { ok: true; value: string | null } | { ok: false } {
  const value = text.trim();
  if (!value) return { ok: true, value: null };
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return { ok: true, value: new Date(value).toISOString() };
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}:\d{2})(?::\d{2})?)?$/.exec(value);
  let ymd: [string, string, string] | null = match ? [match[1]!, match[2]!, match[3]!] : null;
  if (!match) {
    match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: (\d{1,2}:\d{2}))?$/.exec(value);
    if (match) ymd = [match[3]!, match[2]!, match[1]!];
  }
  if (!match) {
    match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}:\d{2}))?$/.exec(value);
    if (match) ymd = [match[3]!, match[1]!, match[2]!];
  }
  if (!match || !ymd) return { ok: false };
  const parsed = parseLocalDate(ymd.join('-'), match[4] ?? '', timeZone, defaultTime);
  return parsed.ok ? parsed : { ok: false };
}

/** The first instant after `afterMs` at which the clock in `timeZone` shows `hour`:00 (a daily summary's time). */
export function nextDailyTime(afterMs: number, hour: number, timeZone: string): number {
  const today = wallClock(new Date(afterMs), timeZone);
  for (let days = 0; days <= 2; days++) {
    // Date.UTC rolls a day past the month's end over into the next month
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
    const at = fromWallClock({ year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate(), hour, minute: 0, second: 0 }, timeZone);
    if (at.getTime() > afterMs) return at.getTime();
  }
  throw new Error(`no ${hour}:00 after ${new Date(afterMs).toISOString()} in ${timeZone}`);
}
