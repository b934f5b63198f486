// What the analysis charts share: the width they draw in (their box's on screen, the paper's in
// print), a "nice" value axis, the legend and the data table that stands in for a chart for
// screen readers. The charts are plain SVG drawn at their real pixel size, so their type stays
// readable on a phone instead of shrinking with a viewBox.
import type { ComponentChildren, Ref } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatNumber } from '../common/format';
import type { Lang } from '../common/i18n';
import { createStore, useStore } from '../common/store';

/** Chart width on paper: A4 less the page margins and a card's padding, in CSS pixels. */
export const PRINT_WIDTH = 670;
/** The same for a chart in one of two columns. */
export const PRINT_HALF_WIDTH = 310;

const printingStore = createStore(false);
let printListening = false;

/** Follows print media and the beforeprint / afterprint events (once for the whole app). */
function listenForPrint(): void {
  if (printListening || typeof window === 'undefined') return;
  printListening = true;
  const media = typeof matchMedia === 'function' ? matchMedia('print') : null;
  printingStore.set(media?.matches ?? false);
  media?.addEventListener('change', () => printingStore.set(media.matches));
  window.addEventListener('beforeprint', () => printingStore.set(true));
  window.addEventListener('afterprint', () => printingStore.set(media?.matches ?? false));
}

/** True while the page is printed: the charts draw at the paper's width then. */
export function usePrinting(): boolean {
  listenForPrint();
  return useStore(printingStore);
}

/**
 * Prints the page after the charts have been drawn again at the paper's width (the browser's own
 * beforeprint comes too late for that when print() is called from a click).
 */
export function printPage(): void {
  listenForPrint();
  printingStore.set(true);
  window.setTimeout(() => window.print(), 100);
}

/** The inner width of the element given `ref`, followed as it changes; `printWidth` while printing. */
export function useBoxWidth<T extends HTMLElement>(printWidth = PRINT_WIDTH, fallback = 640): [Ref<T>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  const printing = usePrinting();
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const measure = () => {
      const style = getComputedStyle(element);
      const inner = element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (inner > 0) setWidth(Math.floor(inner));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, printing ? printWidth : width];
}

export interface Scale {
  /** The top of the axis (≥ the largest value). */
  top: number;
  ticks: number[];
  /** Decimals the tick labels need. */
  digits: number;
}

/** An axis from 0 to a round number at or above `max`, with about `count` steps of 1, 2, 2.5 or 5 × 10ⁿ. */
export function niceScale(max: number, count = 4): Scale {
  const target = max > 0 ? max / count : 1;
  const power = 10 ** Math.floor(Math.log10(target));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= target) ?? 10 * power;
  const top = Math.max(step, Math.ceil(max / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let value = 0; value <= top + step / 2; value += step) ticks.push(Number(value.toPrecision(12)));
  const decimals = Number(step.toPrecision(12)).toString().split('.')[1] ?? '';
  return { top, ticks, digits: Math.min(2, decimals.length) };
}

export function formatTick(value: number, scale: Scale, lang: Lang): string {
  return formatNumber(value, lang, scale.digits);
}

/** A rough width of a label in the chart font (CJK characters count double). */
export function textWidth(text: string, fontSize: number): number {
  let units = 0;
  for (const ch of text) units += ch.charCodeAt(0) > 0x2e80 ? 1 : 0.6;
  return units * fontSize;
}

export type LegendKind = 'bar' | 'line' | 'mark' | 'partial';

export interface LegendItem {
  kind: LegendKind;
  label: string;
  testId?: string;
}

const SWATCHES: Record<LegendKind, ComponentChildren> = {
  bar: <rect class="ins-person-bar" x="3" y="3" width="18" height="14" />,
  partial: <rect class="ins-person-bar ins-partial" x="3" y="3" width="18" height="14" />,
  line: (
    <>
      <line class="ins-cohort-line" x1="0" y1="10" x2="24" y2="10" />
      <circle class="ins-cohort-dot" cx="12" cy="10" r="3.5" />
    </>
  ),
  mark: (
    <>
      <line class="ins-cohort-mark-halo" x1="2" y1="10" x2="22" y2="10" />
      <line class="ins-cohort-mark" x1="2" y1="10" x2="22" y2="10" />
    </>
  ),
};

/** The series of a chart, each with a swatch drawn like it is drawn in the chart. */
export function Legend({ items }: { items: LegendItem[] }) {
  return (
    <ul class="ins-legend">
      {items.map((item) => (
        <li key={item.label} data-testid={item.testId}>
          <svg class="ins-swatch" viewBox="0 0 24 20" width="24" height="20" aria-hidden="true" focusable="false">
            {SWATCHES[item.kind]}
          </svg>
          <span>{item.label}</span>
        </li>
      ))}
    </ul>
  );
}

/** The numbers behind a chart as a table for screen readers (and for print when asked). */
export function DataTable({
  caption,
  columns,
  rows,
  testId,
}: {
  caption: string;
  /** Headings; the first names the row headers' column. */
  columns: string[];
  /** Each row: its header, then its cells. */
  rows: [string, ...string[]][];
  testId?: string;
}) {
  // The wrapper is what is hidden: a table grows to fit its cells whatever width it is given.
  return (
    <div class="visually-hidden">
      <table data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([head, ...cells]) => (
            <tr key={head}>
              <th scope="row">{head}</th>
              {cells.map((cell, i) => (
                <td key={i}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
