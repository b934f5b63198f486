// Pure helpers of the life records: a field's words in the UI language, a value as it is read,
// the normal range, and days put into weeks. No component and no request in here.
import type { DayFigure, FieldValue, LifelogField, QuickEntry, RecordValues } from '../api/lifelog';
import { formatNumber } from '../common/format';
import type { Lang } from '../common/i18n';

export function fieldLabel(field: Pick<LifelogField, 'label' | 'label_en'>, lang: Lang): string {
  return lang === 'en' && field.label_en ? field.label_en : field.label;
}

export function quickLabel(quick: QuickEntry, lang: Lang): string {
  return lang === 'en' && quick.label_en ? quick.label_en : quick.label;
}

/** The label of a choice in the UI language (the stored value is always the Japanese one). */
export function choiceLabel(field: LifelogField, value: string, lang: Lang): string {
  if (lang !== 'en' || !field.choices || !field.choices_en) return value;
  const i = field.choices.indexOf(value);
  return i >= 0 && field.choices_en[i] ? field.choices_en[i] : value;
}

/** "95 %", "37.2 ℃", "良い"; a value of a field the template no longer has is shown as written. */
export function formatValue(field: LifelogField | undefined, value: FieldValue, lang: Lang): string {
  if (!field) return String(value);
  if (field.type === 'choice' && typeof value === 'string') return choiceLabel(field, value, lang);
  if (typeof value === 'number') {
    const digits = field.type === 'count' ? 0 : (field.decimals ?? 0);
    const text = formatNumber(value, lang, Math.max(digits, 0));
    return field.unit ? `${text} ${field.unit}` : text;
  }
  return value;
}

/** True when a number lies outside the field's normal range (its min and/or max). */
export function outOfRange(field: LifelogField, value: FieldValue | null | undefined): boolean {
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  if (field.type !== 'number' && field.type !== 'count') return false;
  if (field.min !== undefined && field.min !== null && value < field.min) return true;
  if (field.max !== undefined && field.max !== null && value > field.max) return true;
  return false;
}

/** The keys of `values` outside their range, in the template's order. */
export function outOfRangeKeys(fields: LifelogField[], values: RecordValues): string[] {
  return fields.filter((f) => outOfRange(f, values[f.key])).map((f) => f.key);
}

/** "92–100 %", "≤ 120 秒", "≥ 36"; empty without a range. */
export function rangeText(field: Pick<LifelogField, 'min' | 'max' | 'unit'>, lang: Lang): string {
  const n = (v: number) => formatNumber(v, lang, 2);
  const hasMin = field.min !== undefined && field.min !== null;
  const hasMax = field.max !== undefined && field.max !== null;
  let text = '';
  if (hasMin && hasMax) text = `${n(field.min!)}–${n(field.max!)}`;
  else if (hasMin) text = `≥ ${n(field.min!)}`;
  else if (hasMax) text = `≤ ${n(field.max!)}`;
  else return '';
  return field.unit ? `${text} ${field.unit}` : text;
}

/** The step of a number input for `decimals` places (0 → 1, 1 → 0.1, 2 → 0.01). */
export function stepOf(decimals: number | undefined): string {
  const d = Math.min(2, Math.max(0, decimals ?? 0));
  return d === 0 ? '1' : (1 / 10 ** d).toFixed(d);
}

/** Parses what was typed in a number field ("37,2" is read as 37.2); null for empty or not a number. */
export function parseNumber(text: string): number | null {
  const cleaned = text.trim().replace(/,/g, '.').replace(/[０-９．]/g, (c) => (c === '．' ? '.' : String(c.charCodeAt(0) - 0xff10)));
  if (cleaned === '' || !/^-?\d+(\.\d+)?$/.test(cleaned)) return null;
  return Number(cleaned);
}

/** The values of a write without those it clears (null): what the record holds after it. */
export function presentValues(values: Record<string, FieldValue | null | undefined>): RecordValues {
  const out: RecordValues = {};
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

/** Monday of the week of a "YYYY-MM-DD" date, as "YYYY-MM-DD". */
export function weekStart(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  const back = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - back);
  return date.toISOString().slice(0, 10);
}

export interface WeekSum {
  /** Monday, "YYYY-MM-DD". */
  start: string;
  sum: number;
  /** Days of this week in the period (fewer than 7 for a week cut by it). */
  days: number;
}

/** The days' sums put into weeks that begin on Monday, oldest first. */
export function sumByWeek(dates: string[], days: DayFigure[]): WeekSum[] {
  const weeks: WeekSum[] = [];
  dates.forEach((date, i) => {
    const start = weekStart(date);
    let week = weeks[weeks.length - 1];
    if (!week || week.start !== start) {
      week = { start, sum: 0, days: 0 };
      weeks.push(week);
    }
    week.sum += days[i]?.sum ?? 0;
    week.days += 1;
  });
  return weeks;
}

/** "11/26" of "YYYY-MM-DD". */
export function shortDate(ymd: string): string {
  const match = /^\d{4}-(\d{2})-(\d{2})$/.exec(ymd);
  return match ? `${Number(match[1])}/${Number(match[2])}` : ymd;
}
