import { useState } from 'preact/hooks';
import { getDaily, type DailySeries, type TemplateAnswer } from '../api/lifelog';
import { formatNumber, localDate } from '../common/format';
import { t, useLang, type Lang } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { ResourceView } from '../components/resource_view';
import { BarChart } from '../insight/bar_chart';
import { DataTable, useBoxWidth } from '../insight/chart_kit';
import '../insight/insight.css';
import { RangeChart } from './range_chart';
import { fieldLabel, rangeText, shortDate, sumByWeek } from './values';

const DAY_MS = 86_400_000;
const PERIODS = [14, 28, 91] as const;
type PeriodDays = (typeof PERIODS)[number];

/**
 * The daily figures of the fields that have a chart: the day's low / mean / high over the normal
 * range (mean), how many records had the field each day (count, e.g. seizures), and the day's and
 * the week's total (sum, e.g. intake; weeks begin on Monday).
 */
export function ChartsTab({ answer }: { answer: TemplateAnswer }) {
  const lang = useLang();
  const person = answer.person.id;
  const [period, setPeriod] = useState<PeriodDays>(28);
  const [daily, reload] = useResource(
    (signal) => getDaily(person, { from: localDate(Date.now() - (period - 1) * DAY_MS), to: localDate(Date.now()) }, signal),
    [person, period],
  );
  return (
    <div class="ins-page ll-charts" data-testid="lifelog-charts">
      <div class="ll-period" role="group" aria-label={t('lifelog.charts.period')}>
        {PERIODS.map((p) => (
          <button key={p} type="button" class={p === period ? 'll-segment ll-segment-on' : 'll-segment'} aria-pressed={p === period} onClick={() => setPeriod(p)} data-testid={`charts-period-${p}`}>
            {t('lifelog.charts.days', { days: p })}
          </button>
        ))}
      </div>
      <ResourceView resource={daily} onRetry={reload}>
        {(data) =>
          data.series.length === 0 ? (
            <p class="empty" data-testid="charts-empty">
              {t('lifelog.charts.none')}
            </p>
          ) : (
            <>
              {data.series.map((s) => (
                <SeriesCard key={s.key} series={s} dates={data.dates} lang={lang} decimals={answer.template.fields.find((f) => f.key === s.key)?.decimals ?? 0} />
              ))}
            </>
          )
        }
      </ResourceView>
    </div>
  );
}

function SeriesCard({ series, dates, lang, decimals }: { series: DailySeries; dates: string[]; lang: Lang; decimals: number }) {
  const [box, width] = useBoxWidth<HTMLDivElement>(670, 340);
  const label = fieldLabel(series, lang);
  const unit = series.unit ? ` (${series.unit})` : '';
  const labels = dates.map(shortDate);
  const range = rangeText({ min: series.min ?? undefined, max: series.max ?? undefined, unit: series.unit }, lang);
  const n = (v: number | null) => (v === null ? '—' : formatNumber(v, lang, Math.max(decimals, 1)));
  const height = width < 480 ? 200 : 240;

  if (series.chart === 'mean') {
    const outDays = dates.filter((_, i) => {
      const d = series.days[i];
      if (!d || d.n === 0) return false;
      const below = series.min !== null && series.min !== undefined && d.low !== null && d.low < series.min;
      const above = series.max !== null && series.max !== undefined && d.high !== null && d.high > series.max;
      return below || above;
    });
    return (
      <section class="card ll-chart-card" aria-labelledby={`ch-${series.key}`} data-testid="chart" data-key={series.key} data-chart="mean">
        <h2 id={`ch-${series.key}`} class="ll-chart-title">
          {label}
          {range ? <span class="ll-sub">{t('lifelog.charts.normal', { range })}</span> : null}
        </h2>
        <p class="ll-chart-key">
          <span class="ll-key-item">
            <span class="ll-key-band" aria-hidden="true" /> {t('lifelog.charts.key_band')}
          </span>
          <span class="ll-key-item">
            <span class="ll-key-range" aria-hidden="true" /> {t('lifelog.charts.key_range')}
          </span>
          <span class="ll-key-item">
            <span class="ll-key-mean" aria-hidden="true" /> {t('lifelog.charts.key_mean')}
          </span>
        </p>
        <div ref={box} class="ll-chart-box">
          <RangeChart width={width} height={height} labels={labels} days={series.days} min={series.min} max={series.max} title={`${label}${unit}`} decimals={decimals} testId={`chart-svg-${series.key}`} />
        </div>
        <p class={outDays.length ? 'll-out-text' : 'll-sub'} data-testid="chart-out-days">
          {outDays.length ? (
            <>
              <span aria-hidden="true">⚑ </span>
              {t('lifelog.charts.out_days', { days: outDays.map(shortDate).join(', ') })}
            </>
          ) : (
            t('lifelog.charts.no_out_days')
          )}
        </p>
        <DataTable
          caption={label}
          columns={[t('lifelog.charts.date'), t('lifelog.charts.low'), t('lifelog.charts.mean'), t('lifelog.charts.high'), t('lifelog.charts.n')]}
          rows={dates.map((d, i): [string, ...string[]] => {
            const f = series.days[i];
            return [d, n(f?.low ?? null), n(f?.mean ?? null), n(f?.high ?? null), String(f?.n ?? 0)];
          })}
        />
      </section>
    );
  }

  if (series.chart === 'count') {
    const counts = series.days.map((d) => d?.n ?? 0);
    return (
      <section class="card ll-chart-card" aria-labelledby={`ch-${series.key}`} data-testid="chart" data-key={series.key} data-chart="count">
        <h2 id={`ch-${series.key}`} class="ll-chart-title">
          {t('lifelog.charts.count_title', { label })}
        </h2>
        <p class="ll-sub">{t('lifelog.charts.count_total', { count: counts.reduce((a, b) => a + b, 0), days: dates.length })}</p>
        <div ref={box} class="ll-chart-box">
          <BarChart width={width} height={height} labels={labels} bars={counts.map((value) => ({ value }))} leftTitle={t('lifelog.charts.times')} valueLabels testId={`chart-svg-${series.key}`} />
        </div>
        <DataTable caption={label} columns={[t('lifelog.charts.date'), t('lifelog.charts.times')]} rows={dates.map((d, i): [string, ...string[]] => [d, String(counts[i])])} />
      </section>
    );
  }

  const sums = series.days.map((d) => d?.sum ?? 0);
  const weeks = sumByWeek(dates, series.days);
  return (
    <section class="card ll-chart-card" aria-labelledby={`ch-${series.key}`} data-testid="chart" data-key={series.key} data-chart="sum">
      <h2 id={`ch-${series.key}`} class="ll-chart-title">
        {t('lifelog.charts.sum_title', { label })}
      </h2>
      <h3 class="ll-chart-sub">{t('lifelog.charts.per_week')}</h3>
      <div ref={box} class="ll-chart-box">
        <BarChart
          width={width}
          height={height}
          labels={weeks.map((w) => t('lifelog.charts.week_of', { date: shortDate(w.start) }))}
          bars={weeks.map((w) => ({ value: w.sum, className: w.days < 7 ? 'ins-partial' : undefined }))}
          leftTitle={`${label}${unit}`}
          valueLabels
          testId={`chart-svg-${series.key}-week`}
        />
      </div>
      {weeks.some((w) => w.days < 7) ? <p class="ll-sub">{t('lifelog.charts.partial_week')}</p> : null}
      <h3 class="ll-chart-sub">{t('lifelog.charts.per_day')}</h3>
      <div class="ll-chart-box">
        <BarChart width={width} height={height} labels={labels} bars={sums.map((value) => ({ value }))} leftTitle={`${label}${unit}`} testId={`chart-svg-${series.key}-day`} />
      </div>
      <DataTable
        caption={t('lifelog.charts.per_week')}
        columns={[t('lifelog.charts.week'), `${label}${unit}`]}
        rows={weeks.map((w): [string, ...string[]] => [w.start, formatNumber(w.sum, lang, decimals)])}
        testId={`chart-table-${series.key}-week`}
      />
    </section>
  );
}
