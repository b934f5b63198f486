import { locale, t, type Lang } from './i18n';

// Instants are shown in the tenant's zone; Seto is in Japan, which keeps no summer time.
const TIME_ZONE = 'Asia/Tokyo';
const ZONE_OFFSET = '+09:00';

/** An RFC 3339 instant as a local date-time in the tenant's zone; unparsable input is returned as is. */
function formatInstant(iso: string, lang: Lang, seconds: boolean): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hour12: false,
  }).format(date);
}

/** "2025/01/31 09:05:03" style local date-time of an RFC 3339 instant. */
export function formatDateTime(iso: string, lang: Lang): string {
  return formatInstant(iso, lang, true);
}

/** "2025/01/31 09:05" style local date-time to the minute, for people who need no seconds. */
export function formatDateTimeShort(iso: string, lang: Lang): string {
  return formatInstant(iso, lang, false);
}

/** A calendar date "YYYY-MM-DD" as written in the UI language; Japanese adds the era year (和暦). */
export function formatBirthDate(ymd: string, lang: Lang): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!match) return ymd;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (lang === 'en') {
    return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'long' }).format(date);
  }
  const western = `${Number(match[1])}年${Number(match[2])}月${Number(match[3])}日`;
  try {
    const era = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { timeZone: 'UTC', era: 'long', year: 'numeric' }).format(date);
    return `${western}（${era}）`;
  } catch {
    return western;
  }
}

/** Splits a base32 secret into groups of four for reading aloud or typing. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})/g, '$1 ').trim();
}

/**
 * How long ago `iso` was, from `nowMs`: "たった今", "5分前", "2時間前", "3日前".
 * A time slightly ahead of `nowMs` (clock skew) reads as "just now".
 */
export function formatAgo(iso: string, nowMs: number): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const minutes = Math.floor((nowMs - at) / 60_000);
  if (minutes < 1) return t('time.just_now');
  if (minutes < 60) return t('time.minutes_ago', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('time.hours_ago', { count: hours });
  return t('time.days_ago', { count: Math.floor(hours / 24) });
}

/** A number with at most `digits` decimals in the UI language ("24.5", "1,234"). */
export function formatNumber(value: number, lang: Lang, digits = 1): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits }).format(value);
}

function zoneParts(ms: number): Record<string, string> {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

/** "YYYY-MM-DD" of an instant in the tenant's zone (today's date for date filters). */
export function localDate(ms: number): string {
  const p = zoneParts(ms);
  return `${p.year}-${p.month}-${p.day}`;
}

/** "YYYY-MM-DDTHH:MM" of an instant in the tenant's zone, the value of an <input type="datetime-local">. */
export function toLocalInput(ms: number): string {
  const p = zoneParts(ms);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The RFC 3339 instant of a datetime-local value read in the tenant's zone; null when it is no such value. */
export function fromLocalInput(value: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?$/.exec(value);
  if (!match) return null;
  return `${match[1]}${match[2] ?? ':00'}${ZONE_OFFSET}`;
}

/** The time part "HH:MM" of an instant in the tenant's zone. */
export function formatTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const p = zoneParts(ms);
  return `${p.hour}:${p.minute}`;
}
