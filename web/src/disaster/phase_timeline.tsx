import { PHASE_START_HOURS, type EventDetail } from '../api/disaster';
import { formatDateTimeShort } from '../common/format';
import { t, useLang } from '../common/i18n';
import { useClock } from '../common/use_clock';
import { axisPercent, AXIS_FROM_HOURS, formatOffset, hoursSinceOnset, phaseName, phaseSpans } from './phases';

const TICKS = [AXIS_FROM_HOURS, -24, 0, 72, 120];

/**
 * The event's −120 h … +120 h around the onset: the six phases as bands, hour marks under them and
 * a "now" marker (at the end it stands for "later"). Ended events show no marker. The list under it
 * names the phases with their times, for screen readers and narrow screens alike. The current phase
 * is the server's; the marker follows this device's clock.
 */
export function PhaseTimeline({ event }: { event: EventDetail }) {
  const lang = useLang();
  useClock(60_000);
  const { phases } = event;
  const hours = hoursSinceOnset(event.onset_at, Date.now());
  const current = event.ended_at ? null : event.phase;
  const now = axisPercent(hours);
  return (
    <section class="card dz-timeline" aria-labelledby="dz-timeline-title" data-testid="phase-timeline" data-current={current ?? 'ended'}>
      <h2 id="dz-timeline-title" class="section-title">
        {t('disaster.timeline.title')}
      </h2>
      <div class="dz-axis" aria-hidden="true">
        <div class="dz-bands">
          {phaseSpans().map((span) => (
            <span
              key={span.key}
              class={`dz-band dz-band-${span.key}${span.key === current ? ' is-current' : ''}`}
              style={{ left: `${span.from}%`, width: `${span.to - span.from}%` }}
              title={phaseName(span.key)}
            />
          ))}
          {current ? (
            <span class="dz-now" style={{ left: `${now}%` }} data-testid="timeline-now" data-hours={Math.round(hours)}>
              <span class={now > 85 ? 'dz-now-label is-left' : now < 15 ? 'dz-now-label is-right' : 'dz-now-label'}>{t('disaster.timeline.now')}</span>
            </span>
          ) : null}
        </div>
        <div class="dz-ticks">
          {TICKS.map((h) => (
            <span key={h} class={h === -24 ? 'dz-tick dz-tick-minor' : 'dz-tick'} style={{ left: `${axisPercent(h)}%` }}>
              {h === 0 ? t('disaster.timeline.onset') : formatOffset(h)}
            </span>
          ))}
        </div>
      </div>
      <ol class="plain-list dz-phase-list">
        {phases.map((phase) => (
          <li key={phase.key} class={phase.key === current ? 'dz-phase-row is-current' : 'dz-phase-row'} data-testid="timeline-phase" data-phase={phase.key}>
            <span class={`dz-swatch dz-band-${phase.key}`} aria-hidden="true" />
            <span class="dz-phase-name">{lang === 'en' ? phase.name_en || phaseName(phase.key) : phase.name || phaseName(phase.key)}</span>
            <span class="dz-phase-hours">{formatOffset(PHASE_START_HOURS[phase.key])}〜</span>
            <span class="dz-phase-time">
              {formatDateTimeShort(phase.starts_at, lang)}
              {phase.ends_at ? ` – ${formatDateTimeShort(phase.ends_at, lang)}` : ''}
            </span>
            {phase.key === current ? <strong class="badge badge-warning">{t('disaster.timeline.current')}</strong> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
