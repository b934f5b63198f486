import type { Dashboard, SafetyLabel } from '../api/disaster';
import { formatDateTimeShort, formatTime, localDate } from '../common/format';
import { t, useLang } from '../common/i18n';
import { DataTable, formatTick, niceScale, textWidth, useBoxWidth } from '../insight/chart_kit';
import { labelName } from './labels';

const HEIGHT = 240;

/**
 * How the labels' counts went, hour by hour, as stacked bands (the settings' order from the bottom),
 * drawn at its box's pixel width; the same numbers in a table for screen readers.
 */
export function ProgressChart({ dashboard }: { dashboard: Dashboard }) {
  const lang = useLang();
  const [box, width] = useBoxWidth<HTMLDivElement>();
  const { labels, progress } = dashboard;
  if (progress.length === 0) {
    return <p class="field-hint">{t('disaster.dashboard.no_progress')}</p>;
  }
  const font = width < 480 ? 12 : 13;
  const totals = progress.map((point) => labels.reduce((sum, label) => sum + (point.counts[label.key] ?? 0), 0));
  const scale = niceScale(Math.max(1, ...totals));
  const padLeft = Math.ceil(Math.max(...scale.ticks.map((v) => textWidth(formatTick(v, scale, lang), font))) + 10);
  const padTop = 10;
  const padBottom = font * 2 + 12;
  const labelWidth = textWidth('00:00', font) + 12;
  // Room on the right for half of the last time label.
  const plotWidth = Math.max(10, width - padLeft - Math.ceil(labelWidth / 2));
  const plotHeight = HEIGHT - padTop - padBottom;
  const x = (i: number) => padLeft + (progress.length === 1 ? plotWidth / 2 : (i / (progress.length - 1)) * plotWidth);
  const y = (v: number) => padTop + plotHeight - (v / scale.top) * plotHeight;

  // Each label's band between the running sums below and above it.
  let below = progress.map(() => 0);
  const bands = labels.map((label) => {
    const above = progress.map((point, i) => below[i] + (point.counts[label.key] ?? 0));
    const top = above.map((v, i) => `${x(i)},${y(v)}`);
    const bottom = below.map((v, i) => `${x(i)},${y(v)}`).reverse();
    below = above;
    return { label, points: [...top, ...bottom].join(' ') };
  });

  const every = Math.max(1, Math.ceil((progress.length * labelWidth) / plotWidth));
  return (
    <div ref={box} class="dz-chart" data-testid="progress-chart" data-points={progress.length}>
      <svg width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} aria-hidden="true" focusable="false">
        {scale.ticks.map((tick) => (
          <g key={tick}>
            <line class="dz-chart-grid" x1={padLeft} x2={padLeft + plotWidth} y1={y(tick)} y2={y(tick)} />
            <text class="dz-chart-tick" x={padLeft - 6} y={y(tick)} dy="0.35em" font-size={font} text-anchor="end">
              {formatTick(tick, scale, lang)}
            </text>
          </g>
        ))}
        {bands.map((band) => (
          <polygon key={band.label.key} points={band.points} fill={band.label.color} fill-opacity="0.85" stroke={band.label.color} data-label={band.label.key} />
        ))}
        {progress.map((point, i) =>
          i % every === 0 ? (
            <g key={point.at}>
              <text class="dz-chart-tick" x={x(i)} y={padTop + plotHeight + font + 4} font-size={font} text-anchor="middle">
                {formatTime(point.at)}
              </text>
              {i === 0 || formatDay(point.at) !== formatDay(progress[i - every]?.at ?? '') ? (
                <text class="dz-chart-tick" x={x(i)} y={padTop + plotHeight + font * 2 + 8} font-size={font} text-anchor="middle">
                  {formatDay(point.at)}
                </text>
              ) : null}
            </g>
          ) : null,
        )}
      </svg>
      <ChartLegend labels={labels} />
      <DataTable
        caption={t('disaster.dashboard.progress')}
        columns={[t('disaster.dashboard.time'), ...labels.map((l) => labelName(l, lang))]}
        rows={progress.map((point): [string, ...string[]] => [formatDateTimeShort(point.at, lang), ...labels.map((l) => String(point.counts[l.key] ?? 0))])}
        testId="progress-table"
      />
    </div>
  );
}

/** "11/27" of an instant in the tenant's zone. */
function formatDay(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const [, month, day] = localDate(ms).split('-');
  return `${Number(month)}/${Number(day)}`;
}

function ChartLegend({ labels }: { labels: SafetyLabel[] }) {
  const lang = useLang();
  return (
    <ul class="plain-list dz-legend">
      {labels.map((label) => (
        <li key={label.key}>
          <span class="dz-dot" style={{ background: label.color }} aria-hidden="true" />
          {labelName(label, lang)}
        </li>
      ))}
    </ul>
  );
}
