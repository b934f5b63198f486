// The four charts of a profile: by hour (the seed's chart: the person's bars on the left axis, the
// cohort's line on the right), by weekday (the cohort's mean as a mark), weekday × hour, and by week.
// Each says its main point in a sentence and carries its numbers in a table for screen readers.
import type { ComponentChildren } from 'preact';
import type { Profile } from '../api/insight';
import { formatNumber } from '../common/format';
import { t, useLang, type Lang } from '../common/i18n';
import { BarChart } from './bar_chart';
import { DataTable, Legend, PRINT_HALF_WIDTH, useBoxWidth, type LegendItem } from './chart_kit';
import { HeatLegend, HeatMap } from './heat_map';
import { formatDay, weekdayNames } from './period';

export type CohortMode = 'sum' | 'mean';

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

/** Index of the largest value (the first of equals). */
function busiest(values: number[]): number {
  return values.reduce((best, value, i) => (value > values[best] ? i : best), 0);
}

function quietest(values: number[]): number {
  return values.reduce((best, value, i) => (value < values[best] ? i : best), 0);
}

function number(value: number | null | undefined, lang: Lang, digits = 1): string {
  return value === null || value === undefined ? '—' : formatNumber(value, lang, digits);
}

/** One section of the page: a card with its heading. */
export function Section({
  id,
  title,
  testId,
  className,
  children,
}: {
  id: string;
  title: string;
  testId: string;
  className?: string;
  children: ComponentChildren;
}) {
  return (
    <section class={className ? `card ins-section ${className}` : 'card ins-section'} aria-labelledby={id} data-testid={testId}>
      <h2 id={id} class="ins-section-title">
        {title}
      </h2>
      {children}
    </section>
  );
}

function personLabel(profile: Profile): string {
  return t('insight.legend.person', { name: profile.person.name });
}

export function HourSection({ profile, mode, onMode }: { profile: Profile; mode: CohortMode; onMode: (mode: CohortMode) => void }) {
  const lang = useLang();
  const [box, width] = useBoxWidth<HTMLDivElement>();
  const cohort = profile.cohort;
  const cohortValues = mode === 'sum' ? cohort.hourly : cohort.hourly_mean;
  const cohortLabel =
    mode === 'sum'
      ? t('insight.legend.cohort_sum', { cohort: cohort.name, households: cohort.households })
      : t('insight.legend.cohort_mean', { cohort: cohort.name });
  const legend: LegendItem[] = [
    { kind: 'bar', label: personLabel(profile), testId: 'insight-legend-person' },
    { kind: 'line', label: cohortLabel, testId: 'insight-legend-cohort' },
  ];
  return (
    <Section id="ins-hour-title" title={t('insight.hour.title')} testId="insight-hour" className="ins-break-before">
      <div class="ins-chart-head">
        <Legend items={legend} />
        <div class="ins-toggle no-print" role="group" aria-label={t('insight.hour.mode')}>
          {(['sum', 'mean'] as const).map((m) => (
            <button
              key={m}
              type="button"
              class="ins-toggle-button"
              aria-pressed={mode === m}
              onClick={() => onMode(m)}
              data-testid={`insight-mode-${m}`}
            >
              {t(m === 'sum' ? 'insight.hour.mode_sum' : 'insight.hour.mode_mean')}
            </button>
          ))}
        </div>
      </div>
      <div class="ins-chart" ref={box}>
        <BarChart
          width={width}
          height={width < 480 ? 250 : 300}
          labels={HOURS.map(String)}
          bars={profile.hourly.map((value) => ({ value }))}
          leftTitle={t('insight.hour.person_axis')}
          right={{ title: t(mode === 'sum' ? 'insight.hour.cohort_axis_sum' : 'insight.hour.cohort_axis_mean'), values: cohortValues }}
          testId="insight-hour-svg"
        />
      </div>
      <p class="ins-axis-note" aria-hidden="true">
        {t('insight.hour.x_axis')}
      </p>
      <p class="ins-chart-note" data-testid="insight-hour-note">
        {t('insight.hour.note', { cohort: cohort.name, hour: busiest(profile.hourly), cohortHour: busiest(cohortValues) })}
      </p>
      <DataTable
        caption={t('insight.hour.table')}
        columns={[
          t('insight.col.hour'),
          t('insight.col.person'),
          t('insight.col.cohort_sum'),
          t('insight.col.cohort_mean'),
          t('insight.col.temperature'),
          t('insight.col.humidity'),
        ]}
        rows={HOURS.map((hour) => [
          t('insight.hour.label', { hour }),
          number(profile.hourly[hour], lang, 0),
          number(cohort.hourly[hour], lang, 0),
          number(cohort.hourly_mean[hour], lang),
          number(profile.climate.temperature[hour], lang),
          number(profile.climate.humidity[hour], lang, 0),
        ])}
        testId="insight-hour-table"
      />
    </Section>
  );
}

export function WeekdaySection({ profile }: { profile: Profile }) {
  const lang = useLang();
  const [box, width] = useBoxWidth<HTMLDivElement>(PRINT_HALF_WIDTH);
  const names = weekdayNames(lang);
  const cohort = profile.cohort;
  const most = busiest(profile.weekday);
  const least = quietest(profile.weekday);
  return (
    <Section id="ins-weekday-title" title={t('insight.weekday.title')} testId="insight-weekday">
      <Legend
        items={[
          { kind: 'bar', label: personLabel(profile) },
          { kind: 'mark', label: t('insight.legend.cohort_mean', { cohort: cohort.name }) },
        ]}
      />
      <div class="ins-chart" ref={box}>
        <BarChart
          width={width}
          height={240}
          labels={names}
          bars={profile.weekday.map((value) => ({ value }))}
          marks={cohort.weekday_mean}
          leftTitle={t('insight.axis.openings')}
          valueLabels
          testId="insight-weekday-svg"
        />
      </div>
      <p class="ins-chart-note" data-testid="insight-weekday-note">
        {t('insight.weekday.note', {
          most: names[most],
          mostCount: formatNumber(profile.weekday[most], lang, 0),
          least: names[least],
          leastCount: formatNumber(profile.weekday[least], lang, 0),
        })}
      </p>
      <DataTable
        caption={t('insight.weekday.title')}
        columns={[t('insight.col.weekday'), t('insight.col.person'), t('insight.col.cohort_mean'), t('insight.col.cohort_sum')]}
        rows={names.map((name, day) => [
          name,
          number(profile.weekday[day], lang, 0),
          number(cohort.weekday_mean[day], lang),
          number(cohort.weekday[day], lang, 0),
        ])}
        testId="insight-weekday-table"
      />
    </Section>
  );
}

export function HeatSection({ profile }: { profile: Profile }) {
  const lang = useLang();
  const [box, width] = useBoxWidth<HTMLDivElement>();
  const names = weekdayNames(lang);
  const max = Math.max(0, ...profile.by_hour_weekday.flat());
  return (
    <Section id="ins-heat-title" title={t('insight.heat.title')} testId="insight-heat" className="ins-break-before">
      <HeatLegend max={max} />
      <div class="ins-heat-box" ref={box} tabIndex={0} role="region" aria-label={t('insight.heat.scroll')} data-testid="insight-heat-box">
        <HeatMap width={width} rows={profile.by_hour_weekday} weekdays={names} />
      </div>
      <p class="ins-chart-note">{t('insight.heat.note')}</p>
      <DataTable
        caption={t('insight.heat.table')}
        columns={[t('insight.col.weekday'), ...HOURS.map((hour) => t('insight.hour.label', { hour }))]}
        rows={names.map((name, day) => [name, ...profile.by_hour_weekday[day].map((value) => number(value, lang, 0))])}
        testId="insight-heat-table"
      />
    </Section>
  );
}

export function WeeklySection({ profile }: { profile: Profile }) {
  const lang = useLang();
  const [box, width] = useBoxWidth<HTMLDivElement>(PRINT_HALF_WIDTH);
  const weeks = profile.weekly;
  const partial = weeks.some((w) => w.days < 7);
  const perDay = (w: { openings: number; days: number }) => (w.days > 0 ? w.openings / w.days : 0);
  const first = weeks[0];
  const last = weeks[weeks.length - 1];
  return (
    <Section id="ins-weekly-title" title={t('insight.weekly.title')} testId="insight-weekly">
      <Legend
        items={[
          { kind: 'bar', label: t('insight.weekly.legend_full') },
          ...(partial ? [{ kind: 'partial' as const, label: t('insight.weekly.legend_partial') }] : []),
        ]}
      />
      <div class="ins-chart" ref={box}>
        <BarChart
          width={width}
          height={240}
          labels={weeks.map((w) => formatDay(w.from, lang))}
          bars={weeks.map((w) => ({ value: w.openings, className: w.days < 7 ? 'ins-partial' : undefined }))}
          leftTitle={t('insight.axis.openings')}
          valueLabels
          testId="insight-weekly-svg"
        />
      </div>
      {first && last ? (
        <p class="ins-chart-note" data-testid="insight-weekly-note">
          {t('insight.weekly.note', {
            first: formatNumber(perDay(first), lang, 1),
            last: formatNumber(perDay(last), lang, 1),
          })}
        </p>
      ) : null}
      <DataTable
        caption={t('insight.weekly.title')}
        columns={[t('insight.col.week'), t('insight.col.days'), t('insight.col.openings'), t('insight.col.per_day')]}
        rows={weeks.map((w) => [
          t('insight.weekly.week', { date: formatDay(w.from, lang, { year: true }) }),
          formatNumber(w.days, lang, 0),
          formatNumber(w.openings, lang, 0),
          formatNumber(perDay(w), lang, 1),
        ])}
        testId="insight-weekly-table"
      />
    </Section>
  );
}
