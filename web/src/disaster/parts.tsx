// Small pieces the event, map and dashboard pages share: a label with its colour and its name
// (never the colour alone), the 訓練 badge, the banner of districts that look like a power cut.
import type { DisasterEvent, Outage, SafetyLabel } from '../api/disaster';
import { formatNumber } from '../common/format';
import { t, useLang } from '../common/i18n';
import { Link } from '../components/link';
import { kindName, labelName, textColorOn } from './labels';

/** The label's name on its colour. */
export function LabelBadge({ label, testId, large = false }: { label: SafetyLabel; testId?: string; large?: boolean }) {
  const lang = useLang();
  return (
    <span
      class={large ? 'dz-label dz-label-large' : 'dz-label'}
      style={{ background: label.color, color: textColorOn(label.color) }}
      data-label={label.key}
      data-testid={testId}
    >
      {labelName(label, lang)}
    </span>
  );
}

/** 訓練 (striped, never red) for a drill, 実災害 for a real event. */
export function DrillBadge({ drill }: { drill: boolean }) {
  return drill ? (
    <span class="badge dz-drill-badge" data-testid="drill-badge">
      {t('disaster.drill')}
    </span>
  ) : (
    <span class="badge dz-real-badge" data-testid="real-badge">
      {t('disaster.real')}
    </span>
  );
}

/** "停電の疑い: 陶本町 (9/12 世帯のセンサーが無通信)", one line per district. */
export function OutageBanner({ outages }: { outages: Outage[] }) {
  const lang = useLang();
  if (outages.length === 0) return null;
  return (
    <div class="notice notice-warning dz-outages" role="status" data-testid="outage-banner">
      {outages.map((o) => (
        <p key={o.district} data-testid="outage" data-district={o.district}>
          <strong>{t('disaster.outage.title')}</strong>
          {t('disaster.outage.line', {
            district: o.district,
            silent: formatNumber(o.silent, lang, 0),
            watched: formatNumber(o.watched, lang, 0),
          })}
        </p>
      ))}
    </div>
  );
}

/** The heading line of an event's pages: kind, drill badge and title, with a link back to the event. */
export function EventHeading({ event, back }: { event: DisasterEvent; back: boolean }) {
  return (
    <span class="dz-event-heading">
      <DrillBadge drill={event.drill} />
      <span>
        {kindName(event.kind)}・
        {back ? (
          <Link href={`/disaster/events/${event.id}`} data-testid="event-link">
            {event.title}
          </Link>
        ) : (
          event.title
        )}
      </span>
    </span>
  );
}
