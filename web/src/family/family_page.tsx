import { listRelatives, type Relative } from '../api/family';
import { getWatchSummary, type DayOpenings, type HouseholdState, type SummaryAlert, type WatchSummary } from '../api/watch';
import { formatAgo, formatDateTimeShort, formatNumber } from '../common/format';
import { locale, t, tOptional, useLang, type Lang } from '../common/i18n';
import { useClock } from '../common/use_clock';
import { useResource } from '../common/use_resource';
import { ErrorMessage } from '../components/error_message';
import { Icon } from '../components/icons';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { ResourceView } from '../components/resource_view';
import './family.css';

const CLOCK_TICK_MS = 60_000;
/** Recent alerts shown per relative (the server sends up to 20). */
const RECENT_ALERTS = 5;

/**
 * ご家族の見守り: for each relative the family user is linked to, how they are today in words,
 * the last seven days of fridge-door openings and what happened with recent alerts. Read-only.
 */
export function FamilyPage() {
  useLang();
  useClock(CLOCK_TICK_MS);
  const [relatives, reload] = useResource((signal) => listRelatives(signal), []);
  return (
    <Page title={t('family.title')} lead={t('family.lead')} testId="family-page">
      <ResourceView resource={relatives} onRetry={reload}>
        {(list) =>
          list.length === 0 ? (
            <div class="card family-empty" data-testid="family-empty">
              <p>{t('family.empty')}</p>
            </div>
          ) : (
            <ul class="family-list" data-testid="family-list">
              {list.map((relative) => (
                <RelativeCard key={relative.person} relative={relative} />
              ))}
            </ul>
          )
        }
      </ResourceView>
    </Page>
  );
}

function RelativeCard({ relative }: { relative: Relative }) {
  const titleId = `relative-${relative.person}`;
  return (
    <li class="card family-card" aria-labelledby={titleId} data-testid="relative" data-person={relative.person}>
      <h2 class="family-name" id={titleId}>
        <span data-testid="relative-name">{relative.name}</span>
        {relative.relationship ? (
          <span class="family-relationship" data-testid="relative-relationship">
            {t('family.relationship', { relationship: relative.relationship })}
          </span>
        ) : null}
      </h2>
      {relative.watch_over ? (
        <RelativeSummary person={relative.person} />
      ) : (
        <p class="family-no-sensor" data-testid="relative-no-sensor">
          {t('family.no_sensor')}
        </p>
      )}
    </li>
  );
}

function RelativeSummary({ person }: { person: number }) {
  const lang = useLang();
  const [summary, reload] = useResource((signal) => getWatchSummary(person, signal), [person]);
  if (summary.state === 'loading') return <Loading />;
  if (summary.state === 'error') {
    if (summary.error.code === 'no_household') {
      return (
        <p class="family-no-sensor" data-testid="relative-no-sensor">
          {t('family.no_sensor')}
        </p>
      );
    }
    return <ErrorMessage error={summary.error} onRetry={reload} />;
  }
  return <SummaryView summary={summary.data} lang={lang} />;
}

const STATE_ICONS: Record<HouseholdState, 'state-ok' | 'state-attention' | 'state-alert' | 'state-offline'> = {
  ok: 'state-ok',
  attention: 'state-attention',
  alert: 'state-alert',
  offline: 'state-offline',
};

function SummaryView({ summary, lang }: { summary: WatchSummary; lang: Lang }) {
  const today = summary.today;
  const state = today.state;
  const nowMs = Date.now();
  return (
    <div class="family-summary" data-testid="relative-summary">
      <div class={`family-state family-state-${state}`} data-testid="relative-state" data-state={state}>
        <Icon name={STATE_ICONS[state]} />
        <div>
          <p class="family-state-title" data-testid="relative-state-title">
            {t(`family.state.${state}.title`)}
          </p>
          <p class="family-state-text">{t(`family.state.${state}.text`)}</p>
        </div>
      </div>

      <dl class="family-metrics">
        <div data-testid="relative-last-upload">
          <dt>{t('family.last_upload')}</dt>
          <dd>
            {today.last_upload ? (
              <>
                <span data-testid="relative-last-upload-ago">{formatAgo(today.last_upload, nowMs)}</span>
                <span class="family-sub">
                  <time dateTime={today.last_upload}>{formatDateTimeShort(today.last_upload, lang)}</time>
                </span>
              </>
            ) : (
              t('watch.metric.never')
            )}
          </dd>
        </div>
        <div data-testid="relative-openings">
          <dt>{t('family.openings_today')}</dt>
          <dd data-testid="relative-openings-value">{t('watch.metric.door_value', { count: today.door_openings_today })}</dd>
        </div>
        <div data-testid="relative-temperature">
          <dt>{t('family.temperature')}</dt>
          <dd data-testid="relative-temperature-value">
            {today.temperature === null ? t('watch.metric.none') : t('watch.unit.celsius', { value: formatNumber(today.temperature, lang) })}
          </dd>
        </div>
        <div data-testid="relative-humidity">
          <dt>{t('family.humidity')}</dt>
          <dd data-testid="relative-humidity-value">
            {today.humidity === null ? t('watch.metric.none') : t('watch.unit.percent', { value: formatNumber(today.humidity, lang, 0) })}
          </dd>
        </div>
      </dl>

      <WeekBars days={summary.days} lang={lang} />
      <RecentAlerts alerts={summary.alerts} lang={lang} />
    </div>
  );
}

/** "11/20" and "(金)" of a local calendar date "YYYY-MM-DD", and the long form for screen readers. */
function dayLabel(ymd: string, lang: Lang): { date: string; weekday: string; long: string } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!match) return { date: ymd, weekday: '', long: ymd };
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  const format = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale(lang), { timeZone: 'UTC', ...options }).format(date);
  return {
    date: format({ month: 'numeric', day: 'numeric' }),
    weekday: `(${format({ weekday: 'short' })})`,
    long: format({ month: 'long', day: 'numeric', weekday: 'long' }),
  };
}

const BAR_HEIGHT = 100;

/** Seven bars of door openings, oldest first; every bar also says its number in text. */
function WeekBars({ days, lang }: { days: DayOpenings[]; lang: Lang }) {
  const max = Math.max(1, ...days.map((d) => d.door_openings));
  return (
    <section class="family-week" aria-labelledby="family-week-title">
      <h3 id="family-week-title" class="family-section-title">
        {t('family.week')}
      </h3>
      <ol class="week-bars" data-testid="week-bars">
        {days.map((day, i) => {
          const label = dayLabel(day.date, lang);
          const height = day.door_openings === 0 ? 0 : Math.max(3, Math.round((day.door_openings / max) * BAR_HEIGHT));
          const isToday = i === days.length - 1;
          return (
            <li
              key={day.date}
              class={isToday ? 'week-day week-today' : 'week-day'}
              data-testid="week-day"
              data-date={day.date}
              data-count={day.door_openings}
            >
              <span class="visually-hidden">
                {t('family.week_day', { date: isToday ? `${t('family.today')} ${label.long}` : label.long, count: day.door_openings })}
              </span>
              <span class="week-count" aria-hidden="true">
                {formatNumber(day.door_openings, lang, 0)}
              </span>
              <svg class="week-bar" viewBox={`0 0 10 ${BAR_HEIGHT}`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
                <rect x="0" y={BAR_HEIGHT - height} width="10" height={height} />
              </svg>
              <span class="week-label" aria-hidden="true" data-testid="week-label">
                {isToday ? (
                  t('family.today')
                ) : (
                  <>
                    <span class="week-date">{label.date}</span>
                    <span class="week-weekday">{label.weekday}</span>
                  </>
                )}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** done: handled and fine; open: still being checked; serious: ended with a hospital transport. */
function alertTone(alert: SummaryAlert): 'done' | 'open' | 'serious' {
  if (alert.state !== 'closed') return 'open';
  return alert.outcome === 'transported' ? 'serious' : 'done';
}

function alertStatusText(alert: SummaryAlert): string {
  if (alert.state === 'closed') {
    return alert.outcome ? tOptional(`family.alert.closed.${alert.outcome}`, t('family.alert.closed')) : t('family.alert.closed');
  }
  return tOptional(`family.alert.${alert.state}`, t('family.alert.claimed'));
}

function RecentAlerts({ alerts, lang }: { alerts: SummaryAlert[]; lang: Lang }) {
  const recent = alerts.slice(0, RECENT_ALERTS);
  return (
    <section class="family-alerts" aria-labelledby="family-alerts-title">
      <h3 id="family-alerts-title" class="family-section-title">
        {t('family.alerts')}
      </h3>
      {recent.length === 0 ? (
        <p class="family-none" data-testid="relative-alerts-none">
          {t('family.alerts_none')}
        </p>
      ) : (
        <ul class="family-alert-list" data-testid="relative-alerts">
          {recent.map((alert) => (
            <li
              key={alert.id}
              class={`family-alert family-alert-${alertTone(alert)}`}
              data-testid="relative-alert"
              data-alert={alert.id}
              data-state={alert.state}
              data-outcome={alert.outcome ?? ''}
            >
              <p class="family-alert-when">
                <time dateTime={alert.opened_at}>{formatDateTimeShort(alert.opened_at, lang)}</time>
              </p>
              <p class="family-alert-text" data-testid="relative-alert-text">
                {alert.text}
              </p>
              <p class="family-alert-status" data-testid="relative-alert-status">
                <Icon name={alertTone(alert) === 'done' ? 'state-ok' : 'state-attention'} />
                <span>{alertStatusText(alert)}</span>
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
