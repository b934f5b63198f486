import { useLang } from '../common/i18n';
import { formatTick, niceScale, textWidth, type Scale } from './chart_kit';

export interface Bar {
  value: number;
  /** Extra class of the bar (e.g. "ins-partial" for a week cut by the period). */
  className?: string;
}

interface Props {
  width: number;
  height: number;
  /** One label per bar, below it. */
  labels: string[];
  bars: Bar[];
  /** Title of the left axis, the bars' (drawn above it). */
  leftTitle: string;
  /** A line on its own axis at the right (the cohort's hourly openings). */
  right?: { title: string; values: number[] };
  /** A mark across each bar on the left axis (the cohort's mean for the same slot). */
  marks?: number[];
  /** The value above each bar when there is room for it. */
  valueLabels?: boolean;
  testId?: string;
}

const TICK_GAP = 6;

/**
 * Bars on a left axis, optionally with a line on a right axis of its own or a mark per bar on the
 * left axis; axis titles above the axes, every `n`-th label where labels would collide.
 */
export function BarChart({ width, height, labels, bars, leftTitle, right, marks, valueLabels = false, testId }: Props) {
  const lang = useLang();
  const font = width < 480 ? 12 : 13;
  const values = bars.map((b) => b.value);
  const leftMax = Math.max(0, ...values, ...(marks ?? []));
  // Room above the tallest bar for its number.
  const left = niceScale(valueLabels ? leftMax * 1.12 : leftMax);
  const rightScale = right ? niceScale(Math.max(0, ...right.values)) : null;

  const tickWidth = (scale: Scale) => Math.max(...scale.ticks.map((v) => textWidth(formatTick(v, scale, lang), font)));
  const padLeft = Math.ceil(tickWidth(left) + TICK_GAP + 4);
  const padRight = rightScale ? Math.ceil(tickWidth(rightScale) + TICK_GAP + 4) : 6;
  const padTop = font + 14;
  const padBottom = font + 12;
  const plotWidth = Math.max(10, width - padLeft - padRight);
  const plotHeight = Math.max(10, height - padTop - padBottom);
  const slot = plotWidth / Math.max(1, bars.length);
  const barWidth = Math.max(1, Math.min(slot * 0.68, 56));
  const y = (value: number, scale: Scale) => padTop + plotHeight - (value / scale.top) * plotHeight;
  const cx = (i: number) => padLeft + slot * (i + 0.5);
  const labelEvery = labelStep(labels, slot, font);
  const showValues = valueLabels && slot >= textWidth(String(leftMax), font) + 4;
  const bottom = padTop + plotHeight;

  return (
    <svg class="ins-svg" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true" focusable="false" data-testid={testId}>
      <text class="ins-axis-title" x={0} y={font} font-size={font}>
        {leftTitle}
      </text>
      {right ? (
        <text class="ins-axis-title ins-cohort-text" x={width} y={font} font-size={font} text-anchor="end">
          {right.title}
        </text>
      ) : null}
      {left.ticks.map((tick) => (
        <g key={`l${tick}`}>
          <line class={tick === 0 ? 'ins-baseline' : 'ins-grid'} x1={padLeft} x2={padLeft + plotWidth} y1={y(tick, left)} y2={y(tick, left)} />
          <text class="ins-tick" x={padLeft - TICK_GAP} y={y(tick, left)} dy="0.35em" font-size={font} text-anchor="end">
            {formatTick(tick, left, lang)}
          </text>
        </g>
      ))}
      {rightScale
        ? rightScale.ticks.map((tick) => (
            <g key={`r${tick}`}>
              <line class="ins-cohort-tick" x1={padLeft + plotWidth} x2={padLeft + plotWidth + 4} y1={y(tick, rightScale)} y2={y(tick, rightScale)} />
              <text
                class="ins-tick ins-cohort-text"
                x={padLeft + plotWidth + TICK_GAP}
                y={y(tick, rightScale)}
                dy="0.35em"
                font-size={font}
              >
                {formatTick(tick, rightScale, lang)}
              </text>
            </g>
          ))
        : null}
      {rightScale ? <line class="ins-cohort-axis" x1={padLeft + plotWidth} x2={padLeft + plotWidth} y1={padTop} y2={bottom} /> : null}
      {bars.map((bar, i) => {
        const top = y(bar.value, left);
        return (
          <g key={i}>
            <rect
              class={bar.className ? `ins-person-bar ${bar.className}` : 'ins-person-bar'}
              x={cx(i) - barWidth / 2}
              y={top}
              width={barWidth}
              height={Math.max(0, bottom - top)}
              data-value={bar.value}
            />
            {showValues ? (
              <text class="ins-value" x={cx(i)} y={valueY(top, marks ? y(marks[i], left) : null, font)} font-size={font} text-anchor="middle">
                {formatTick(bar.value, left, lang)}
              </text>
            ) : null}
          </g>
        );
      })}
      {marks?.map((mark, i) => {
        const half = Math.min(slot * 0.42, 34);
        return (
          <g key={`m${i}`} data-value={mark} class="ins-mark">
            <line class="ins-cohort-mark-halo" x1={cx(i) - half} x2={cx(i) + half} y1={y(mark, left)} y2={y(mark, left)} />
            <line class="ins-cohort-mark" x1={cx(i) - half} x2={cx(i) + half} y1={y(mark, left)} y2={y(mark, left)} />
          </g>
        );
      })}
      {right && rightScale ? (
        <g>
          <polyline class="ins-cohort-line" points={right.values.map((v, i) => `${cx(i)},${y(v, rightScale)}`).join(' ')} />
          {right.values.map((v, i) => (
            <circle key={i} class="ins-cohort-dot" cx={cx(i)} cy={y(v, rightScale)} r={3.5} data-value={v} />
          ))}
        </g>
      ) : null}
      {labels.map((label, i) =>
        i % labelEvery === 0 ? (
          <text key={i} class="ins-tick" x={cx(i)} y={bottom + font + 6} font-size={font} text-anchor="middle">
            {label}
          </text>
        ) : null,
      )}
    </svg>
  );
}

/** Where a bar's number stands: above the bar, or above the slot's mark when that sits just over the bar and would hide it. */
function valueY(barTop: number, markY: number | null, font: number): number {
  const above = barTop - 5;
  if (markY === null || markY >= barTop || barTop - markY > font + 8) return above;
  return markY - 8;
}

/** Show every n-th label so that neighbours keep a gap (1, 2, 3, 4, 6, 12 … slots apart). */
function labelStep(labels: string[], slot: number, font: number): number {
  const widest = Math.max(0, ...labels.map((l) => textWidth(l, font)));
  const need = widest + font * 0.6;
  for (const n of [1, 2, 3, 4, 6, 8, 12, 13, 26]) if (slot * n >= need) return n;
  return Math.max(1, labels.length);
}
