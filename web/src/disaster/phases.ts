// Where an event stands in time: the six phases by their hours from the onset, and positions on the
// timeline drawn from −120 h to +120 h (with a short stretch beyond for 平常, which has no end).
import { PHASE_KEYS, PHASE_START_HOURS, type PhaseKey } from '../api/disaster';
import { tOptional } from '../common/i18n';

export const AXIS_FROM_HOURS = -120;
/** The timeline runs a little past +120 h so that 平常 (from +120 h on) has a visible stretch. */
export const AXIS_TO_HOURS = 132;
const HOUR_MS = 3_600_000;

/** The phase's name in the UI language ("準備"), or "終了" for an ended event. */
export function phaseName(key: string): string {
  return tOptional(`disaster.phase.${key}`, key);
}

/** Hours from the onset to `nowMs` (negative before it). */
export function hoursSinceOnset(onsetIso: string, nowMs: number): number {
  return (nowMs - Date.parse(onsetIso)) / HOUR_MS;
}

/** The position of `hours` on the timeline, 0–100 (%), clamped to its ends. */
export function axisPercent(hours: number): number {
  const share = (hours - AXIS_FROM_HOURS) / (AXIS_TO_HOURS - AXIS_FROM_HOURS);
  return Math.min(100, Math.max(0, share * 100));
}

/** Each phase's stretch of the timeline, in %. */
export function phaseSpans(): { key: PhaseKey; from: number; to: number }[] {
  return PHASE_KEYS.map((key, i) => {
    const next = PHASE_KEYS[i + 1];
    return { key, from: axisPercent(PHASE_START_HOURS[key]), to: next ? axisPercent(PHASE_START_HOURS[next]) : 100 };
  });
}

/** "−24h", "0", "+72h". */
export function formatOffset(hours: number): string {
  if (hours === 0) return '0';
  return `${hours < 0 ? '−' : '+'}${Math.abs(hours)}h`;
}
