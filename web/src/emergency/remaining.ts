import { formatDateTimeShort, formatTime, localDate } from '../common/format';
import { t, type Lang } from '../common/i18n';

/** Milliseconds left until `expiresAt` (RFC 3339), never below 0; 0 for an unreadable time. */
export function remainingMs(expiresAt: string, nowMs: number): number {
  const end = Date.parse(expiresAt);
  if (Number.isNaN(end)) return 0;
  return Math.max(0, end - nowMs);
}

/** "1時間52分" / "52分" / "1分未満": whole minutes left, rounded down, so the time is never overstated. */
export function formatRemaining(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return t('emergency.remaining.under_minute');
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return t('emergency.remaining.minutes', { minutes });
  return t('emergency.remaining.hours', { hours, minutes: minutes % 60 });
}

/** When a grant ends: "06:21" today, "2025/11/28 04:26" on another day (a hospital's grant lasts a day). */
export function formatUntil(iso: string, nowMs: number, lang: Lang): string {
  const end = Date.parse(iso);
  if (Number.isNaN(end)) return iso;
  return localDate(end) === localDate(nowMs) ? formatTime(iso) : formatDateTimeShort(iso, lang);
}
