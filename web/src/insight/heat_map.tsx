import { formatNumber } from '../common/format';
import { t, useLang } from '../common/i18n';

/** Shades of the scale after "none": light to dark, so the order survives black-and-white print. */
export const HEAT_STEPS = 5;

/** The step (0 = no openings, 1…HEAT_STEPS) of a count on a scale whose darkest step holds `max`. */
export function heatStep(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.min(HEAT_STEPS, Math.max(1, Math.ceil((value / max) * HEAT_STEPS)));
}

/** The counts each step covers ("1–3"), for the legend; a step that holds no whole number is left out. */
export function heatRanges(max: number): { step: number; from: number; to: number }[] {
  const ranges = [{ step: 0, from: 0, to: 0 }];
  let from = 1;
  for (let step = 1; step <= HEAT_STEPS; step++) {
    const to = Math.floor((max * step) / HEAT_STEPS);
    if (to >= from) ranges.push({ step, from, to });
    from = Math.max(from, to + 1);
  }
  return ranges;
}

const LABEL_WIDTH = 34;
const MIN_CELL = 22;
const MAX_CELL = 44;

/**
 * 7 × 24 cells (weekday rows, Monday first; hour columns), darker for more openings. Cells keep at
 * least MIN_CELL px: on a phone the map is wider than its box and scrolls inside it.
 */
export function HeatMap({ width, rows, weekdays }: { width: number; rows: number[][]; weekdays: string[] }) {
  const lang = useLang();
  const max = Math.max(0, ...rows.flat());
  const cell = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor((width - LABEL_WIDTH) / 24)));
  const font = cell >= 30 ? 12 : 11;
  const head = font + 10;
  const svgWidth = LABEL_WIDTH + cell * 24;
  const svgHeight = head + cell * 7;
  // Numbers in the cells only where they fit.
  const numbers = cell >= 26 && max < 1000;
  const hourEvery = cell >= 30 ? 1 : cell >= 22 ? 2 : 3;
  return (
    <svg
      class="ins-svg ins-heat"
      width={svgWidth}
      height={svgHeight}
      viewBox={`0 0 ${svgWidth} ${svgHeight}`}
      aria-hidden="true"
      focusable="false"
      data-testid="insight-heat-svg"
    >
      {Array.from({ length: 24 }, (_, hour) =>
        hour % hourEvery === 0 ? (
          <text key={hour} class="ins-tick" x={LABEL_WIDTH + cell * (hour + 0.5)} y={font + 2} font-size={font} text-anchor="middle">
            {hour}
          </text>
        ) : null,
      )}
      {rows.map((row, day) => (
        <g key={day}>
          <text class="ins-tick ins-heat-day" x={LABEL_WIDTH - 8} y={head + cell * (day + 0.5)} dy="0.35em" font-size={font + 1} text-anchor="end">
            {weekdays[day]}
          </text>
          {row.map((value, hour) => {
            const step = heatStep(value, max);
            return (
              <g key={hour}>
                <rect
                  class={`ins-heat-cell ins-heat-${step}`}
                  x={LABEL_WIDTH + cell * hour}
                  y={head + cell * day}
                  width={cell}
                  height={cell}
                  data-value={value}
                  data-testid="insight-heat-cell"
                />
                {numbers && value > 0 ? (
                  <text
                    class={step >= 3 ? 'ins-heat-number ins-heat-number-dark' : 'ins-heat-number'}
                    x={LABEL_WIDTH + cell * (hour + 0.5)}
                    y={head + cell * (day + 0.5)}
                    dy="0.35em"
                    font-size={font - 1}
                    text-anchor="middle"
                  >
                    {formatNumber(value, lang, 0)}
                  </text>
                ) : null}
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );
}

/** The colour scale: one swatch per step with the counts it stands for. */
export function HeatLegend({ max }: { max: number }) {
  const lang = useLang();
  return (
    <ul class="ins-heat-legend" aria-label={t('insight.heat.legend')} data-testid="insight-heat-legend">
      {heatRanges(max).map((range) => (
        <li key={range.step}>
          <svg class="ins-swatch" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
            <rect class={`ins-heat-cell ins-heat-${range.step}`} x="1" y="1" width="18" height="18" />
          </svg>
          <span>
            {range.step === 0
              ? t('insight.heat.none')
              : range.from === range.to
                ? formatNumber(range.from, lang, 0)
                : t('insight.heat.range', { from: formatNumber(range.from, lang, 0), to: formatNumber(range.to, lang, 0) })}
          </span>
        </li>
      ))}
    </ul>
  );
}
