// A day's lowest–highest as a vertical stroke and its mean as a line across the days, over the
// normal range drawn as a band (SpO2, temperature, pulse). Drawn like the analysis charts
// (insight/chart_kit): plain SVG at its real pixel size, numbers in a table for screen readers.
import type { DayFigure } from '../api/lifelog';
import { formatNumber } from '../common/format';
import { useLang } from '../common/i18n';
import { textWidth } from '../insight/chart_kit';

interface Props {
  width: number;
  height: number;
  labels: string[];
  days: DayFigure[];
  min?: number | null;
  max?: number | null;
  /** Axis title (label and unit). */
  title: string;
  decimals: number;
  testId?: string;
}

const TICK_GAP = 6;

/** About five round ticks covering [low, high]. */
function rangeTicks(low: number, high: number): { ticks: number[]; bottom: number; top: number; digits: number } {
  const span = Math.max(high - low, 1e-6);
  const raw = span / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const bottom = Math.floor(low / step) * step;
  const top = Math.ceil(high / step) * step;
  const ticks: number[] = [];
  for (let v = bottom; v <= top + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  const digits = Math.min(2, (Number(step.toPrecision(12)).toString().split('.')[1] ?? '').length);
  return { ticks, bottom, top: Math.max(top, bottom + step), digits };
}

export function RangeChart({ width, height, labels, days, min, max, title, decimals, testId }: Props) {
  const lang = useLang();
  const font = width < 480 ? 12 : 13;
  const seen = days.flatMap((d) => (d.n > 0 ? [d.low, d.high, d.mean] : [])).filter((v): v is number => v !== null);
  const bounds = [...seen, ...(min !== null && min !== undefined ? [min] : []), ...(max !== null && max !== undefined ? [max] : [])];
  const lo = bounds.length ? Math.min(...bounds) : 0;
  const hi = bounds.length ? Math.max(...bounds) : 1;
  const pad = (hi - lo) * 0.08 || 1;
  const scale = rangeTicks(lo - pad, hi + pad);
  const tickText = (v: number) => formatNumber(v, lang, scale.digits);
  const padLeft = Math.ceil(Math.max(...scale.ticks.map((v) => textWidth(tickText(v), font))) + TICK_GAP + 4);
  const padTop = font + 14;
  const padBottom = font + 12;
  const plotWidth = Math.max(10, width - padLeft - 8);
  const plotHeight = Math.max(10, height - padTop - padBottom);
  const slot = plotWidth / Math.max(1, days.length);
  const y = (v: number) => padTop + plotHeight - ((v - scale.bottom) / (scale.top - scale.bottom)) * plotHeight;
  const cx = (i: number) => padLeft + slot * (i + 0.5);
  const bottom = padTop + plotHeight;
  const bandTop = max !== null && max !== undefined ? y(Math.min(max, scale.top)) : padTop;
  const bandBottom = min !== null && min !== undefined ? y(Math.max(min, scale.bottom)) : bottom;
  const hasBand = (min !== null && min !== undefined) || (max !== null && max !== undefined);
  const widest = Math.max(0, ...labels.map((l) => textWidth(l, font)));
  const every = [1, 2, 3, 4, 7, 14, 28].find((n) => slot * n >= widest + font * 0.6) ?? labels.length;
  const isOut = (v: number | null) => v !== null && ((min !== null && min !== undefined && v < min) || (max !== null && max !== undefined && v > max));

  // The mean line breaks over days without a value.
  const segments: string[][] = [];
  let current: string[] = [];
  days.forEach((d, i) => {
    if (d.n > 0 && d.mean !== null) current.push(`${cx(i)},${y(d.mean)}`);
    else if (current.length) {
      segments.push(current);
      current = [];
    }
  });
  if (current.length) segments.push(current);

  return (
    <svg class="ins-svg ll-range-chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true" focusable="false" data-testid={testId}>
      <text class="ins-axis-title" x={0} y={font} font-size={font}>
        {title}
      </text>
      {hasBand ? <rect class="ll-band" x={padLeft} y={bandTop} width={plotWidth} height={Math.max(0, bandBottom - bandTop)} data-testid="chart-band" /> : null}
      {scale.ticks.map((tick) => (
        <g key={tick}>
          <line class="ins-grid" x1={padLeft} x2={padLeft + plotWidth} y1={y(tick)} y2={y(tick)} />
          <text class="ins-tick" x={padLeft - TICK_GAP} y={y(tick)} dy="0.35em" font-size={font} text-anchor="end">
            {tickText(tick)}
          </text>
        </g>
      ))}
      <line class="ins-baseline" x1={padLeft} x2={padLeft + plotWidth} y1={bottom} y2={bottom} />
      {days.map((d, i) =>
        d.n > 0 && d.low !== null && d.high !== null ? (
          <line key={`r${i}`} class="ll-day-range" x1={cx(i)} x2={cx(i)} y1={y(d.high)} y2={y(d.low)} stroke-width={Math.max(2, Math.min(8, slot * 0.3))} />
        ) : null,
      )}
      {segments.map((points, i) => (
        <polyline key={`s${i}`} class="ll-mean-line" points={points.join(' ')} />
      ))}
      {days.map((d, i) =>
        d.n > 0 && d.mean !== null ? (
          <circle key={`m${i}`} class="ll-mean-dot" cx={cx(i)} cy={y(d.mean)} r={3} data-value={d.mean} data-testid="chart-mean" />
        ) : null,
      )}
      {days.map((d, i) =>
        d.n > 0 && (isOut(d.low) || isOut(d.high)) ? (
          <g key={`o${i}`} data-testid="chart-out">
            {[d.low, d.high].filter(isOut).map((v, j) => (
              <path key={j} class="ll-out-mark" d={`M${cx(i)} ${y(v!) - 6} L${cx(i) + 6} ${y(v!)} L${cx(i)} ${y(v!) + 6} L${cx(i) - 6} ${y(v!)} Z`} />
            ))}
          </g>
        ) : null,
      )}
      {labels.map((label, i) =>
        i % every === 0 ? (
          <text key={`x${i}`} class="ins-tick" x={cx(i)} y={bottom + font + 6} font-size={font} text-anchor="middle">
            {label}
          </text>
        ) : null,
      )}
      <title>{`${title} ${formatNumber(lo, lang, decimals)}–${formatNumber(hi, lang, decimals)}`}</title>
    </svg>
  );
}
