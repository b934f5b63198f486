// The period an analysis covers, kept in the page's URL (?period=90d, or ?from=&to= for a custom
// one). Presets end yesterday: today's openings are still coming in, and a day not over yet would
// read as a quiet day.
import { locale, type Lang } from '../common/i18n';

export const PERIOD_PRESETS = ['4w', '90d', '1y'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
export type PeriodKind = PeriodPreset | 'custom';

export const DEFAULT_PERIOD: PeriodPreset = '4w';

const PRESET_DAYS: Record<PeriodPreset, number> = { '4w': 28, '90d': 90, '1y': 365 };

export interface Period {
  kind: PeriodKind;
  /** Local dates "YYYY-MM-DD", both included. */
  from: string;
  to: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parse(ymd: string): Date | null {
  const match = DATE.exec(ymd);
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  // 2026-02-30 rolls over into March: not a date.
  return date.toISOString().slice(0, 10) === ymd ? date : null;
}

export function isDate(text: string | null | undefined): text is string {
  return typeof text === 'string' && parse(text) !== null;
}

/** `ymd` moved by `days` (negative: earlier). */
export function addDays(ymd: string, days: number): string {
  const date = parse(ymd);
  if (!date) return ymd;
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included (0 when `to` is before `from`). */
export function daysBetween(from: string, to: string): number {
  const a = parse(from);
  const b = parse(to);
  if (!a || !b) return 0;
  return Math.max(0, Math.round((b.getTime() - a.getTime()) / 86_400_000) + 1);
}

/** Weekday of a local date, Monday 0 … Sunday 6 (the order of the profile's arrays). */
export function weekdayOf(ymd: string): number {
  const date = parse(ymd);
  return date ? (date.getUTCDay() + 6) % 7 : 0;
}

export function presetPeriod(kind: PeriodPreset, today: string): Period {
  const to = addDays(today, -1);
  return { kind, from: addDays(to, -(PRESET_DAYS[kind] - 1)), to };
}

/** The period the URL asks for; a preset (4 weeks by default) when it asks for nothing usable. */
export function readPeriod(query: URLSearchParams, today: string): Period {
  const from = query.get('from');
  const to = query.get('to');
  if (isDate(from) && isDate(to)) return { kind: 'custom', from, to };
  const kind = query.get('period');
  return presetPeriod(PERIOD_PRESETS.includes(kind as PeriodPreset) ? (kind as PeriodPreset) : DEFAULT_PERIOD, today);
}

/** The URL parameters of a period (none for the default). */
export function periodParams(period: Period): Record<string, string | undefined> {
  if (period.kind === 'custom') return { from: period.from, to: period.to };
  return { period: period.kind === DEFAULT_PERIOD ? undefined : period.kind };
}

export type CustomProblem = 'from' | 'to' | 'order' | 'future' | null;

/** What is wrong with a custom period typed in, before the server is asked. */
export function customProblem(from: string, to: string, today: string): CustomProblem {
  if (!isDate(from)) return 'from';
  if (!isDate(to)) return 'to';
  if (to < from) return 'order';
  if (to > today) return 'future';
  return null;
}

/** A local date as written in the UI language: "11月6日(金)" / "Fri 6 Nov", with the year when asked. */
export function formatDay(ymd: string, lang: Lang, options: { year?: boolean; weekday?: boolean } = {}): string {
  const date = parse(ymd);
  if (!date) return ymd;
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone: 'UTC',
    year: options.year ? 'numeric' : undefined,
    month: lang === 'ja' ? 'numeric' : 'short',
    day: 'numeric',
    weekday: options.weekday ? 'short' : undefined,
  }).format(date);
}

/** Short weekday names, Monday first: 月 … 日 / Mon … Sun. */
export function weekdayNames(lang: Lang): string[] {
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) =>
    new Intl.DateTimeFormat(locale(lang), { timeZone: 'UTC', weekday: 'short' }).format(new Date(Date.UTC(2024, 0, 1 + i))),
  );
}
