import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import { listAlerts, type Alert, type AlertEvent, type AlertListState } from '../api/watch_alerts';
import { formatAgo, formatDateTime } from '../common/format';
import { t, useLang, type Lang } from '../common/i18n';
import { replaceQuery, useLocation } from '../common/router';
import { useClock } from '../common/use_clock';
import { asApiError } from '../common/use_resource';
import { Denied } from '../components/denied';
import { ErrorMessage } from '../components/error_message';
import { Icon } from '../components/icons';
import { Link } from '../components/link';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { AlertCardHead, kindLabel, LevelSteps, TelLink, urgencyLabel } from './alert_parts';
import {
  playAlertSound,
  setAlertSoundEnabled,
  soundSupported,
  unlockAlertSound,
  useAlertSoundEnabled,
  type SoundResult,
} from './alert_sound';
import { useAlertEvents } from './use_alert_events';
import './alerts.css';
import './watch.css';

/** Changes come in bursts (a timer touches several alerts): refresh at most this often. */
const LIVE_REFRESH_DELAY_MS = 700;
const CLOCK_TICK_MS = 30_000;
const LIST_LIMIT = 200;
/** Pop-ups kept on screen at once; older ones are dropped. */
const MAX_POPUPS = 3;

interface Popup {
  /** The alert the pop-up is about. */
  alert: number;
  /** A new alert, or one that is still unclaimed and was notified again. */
  reason: 'new' | 'renotify';
  event: AlertEvent;
  sound: SoundResult | null;
}

function readFilter(params: URLSearchParams): AlertListState {
  return params.get('state') === 'all' ? 'all' : 'open';
}

/**
 * 見守りアラート対応（ワークリスト）: open alerts as cards, most urgent first, each with the
 * resident's name, address and phone. An alert opened while the page is shown pops up with a
 * chime; the list follows every alert change of the event stream.
 */
export function AlertsPage() {
  const lang = useLang();
  const { query } = useLocation();
  const filter = readFilter(query);
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(true);
  const [popups, setPopups] = useState<Popup[]>([]);
  const soundOn = useAlertSoundEnabled();
  useClock(CLOCK_TICK_MS);

  const alertsRef = useRef<Alert[] | null>(null);
  alertsRef.current = alerts;
  /** Every alert id this page has shown or announced: an event about any other is a new alert. */
  const known = useRef<Set<number> | null>(null);
  const running = useRef<AbortController | null>(null);
  const again = useRef(false);
  const timer = useRef<number | undefined>(undefined);

  const load = () => {
    if (running.current) {
      again.current = true;
      return;
    }
    const controller = new AbortController();
    running.current = controller;
    setBusy(true);
    listAlerts({ state: filter, limit: LIST_LIMIT }, controller.signal).then(
      (list) => {
        if (controller.signal.aborted) return;
        running.current = null;
        setAlerts(list);
        setError(null);
        setBusy(false);
        known.current ??= new Set();
        for (const alert of list) known.current.add(alert.id);
        if (again.current) {
          again.current = false;
          loadRef.current();
        }
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        running.current = null;
        setError(asApiError(err));
        setBusy(false);
      },
    );
  };
  const loadRef = useRef(load);
  loadRef.current = load;

  const scheduleRefresh = (delay = LIVE_REFRESH_DELAY_MS) => {
    if (timer.current !== undefined) return;
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      loadRef.current();
    }, delay);
  };

  useEffect(() => {
    running.current?.abort();
    running.current = null;
    again.current = false;
    loadRef.current();
  }, [filter]);

  useEffect(
    () => () => {
      running.current?.abort();
      window.clearTimeout(timer.current);
    },
    [],
  );

  // Browsers let a page play sound only after the user has touched it: get ready on the first touch.
  useEffect(() => {
    const unlock = () => unlockAlertSound();
    document.addEventListener('pointerdown', unlock, { capture: true });
    document.addEventListener('keydown', unlock, { capture: true });
    return () => {
      document.removeEventListener('pointerdown', unlock, { capture: true });
      document.removeEventListener('keydown', unlock, { capture: true });
    };
  }, []);

  const announce = (event: AlertEvent, reason: Popup['reason']) => {
    setPopups((list) => [{ alert: event.alert, reason, event, sound: null }, ...list.filter((p) => p.alert !== event.alert)].slice(0, MAX_POPUPS));
    void playAlertSound().then((sound) =>
      setPopups((list) => list.map((p) => (p.alert === event.alert && p.sound === null ? { ...p, sound } : p))),
    );
  };

  useAlertEvents(
    (event) => {
      const seen = known.current;
      if (seen && event.state !== 'closed') {
        if (!seen.has(event.alert)) {
          seen.add(event.alert);
          announce(event, 'new');
          scheduleRefresh(0);
          return;
        }
        // Still open and nobody has it: the server's timer notifies again.
        const shown = alertsRef.current?.find((a) => a.id === event.alert);
        if (event.state === 'open' && shown && shown.state === 'open' && !shown.claimed_by) announce(event, 'renotify');
      }
      scheduleRefresh();
    },
    () => loadRef.current(),
  );

  if (error && error.status === 403) return <Denied />;

  const byId = new Map((alerts ?? []).map((a) => [a.id, a]));
  const nowMs = Date.now();
  // A pop-up goes away by itself once someone has taken the alert (or it was closed).
  const shownPopups = popups.filter((p) => {
    const alert = byId.get(p.alert);
    return !alert || (alert.state !== 'closed' && !alert.claimed_by);
  });

  return (
    <Page
      title={t('alerts.title')}
      lead={t('alerts.lead')}
      testId="alerts-page"
      actions={
        <>
          <SoundToggle enabled={soundOn} />
          <Link href="/watch" class="button button-secondary" data-testid="alerts-status-link">
            {t('alerts.status_link')}
          </Link>
        </>
      }
    >
      <div class="alert-popups" data-testid="alert-popups">
        {shownPopups.map((popup) => (
          <AlertPopup
            key={popup.alert}
            popup={popup}
            alert={byId.get(popup.alert) ?? null}
            onDismiss={() => setPopups((list) => list.filter((p) => p.alert !== popup.alert))}
          />
        ))}
      </div>

      <div class="alerts-toolbar">
        <div class="watch-chips" role="group" aria-label={t('alerts.filter')} data-testid="alerts-filter">
          {(['open', 'all'] as const).map((state) => (
            <button
              key={state}
              type="button"
              class="watch-chip"
              aria-pressed={filter === state}
              onClick={() => replaceQuery({ state: state === 'all' ? 'all' : undefined })}
              data-testid={`alerts-filter-${state}`}
            >
              {t(`alerts.filter.${state}`)}
            </button>
          ))}
        </div>
        <button
          type="button"
          class="button button-quiet button-small alerts-refresh"
          onClick={() => loadRef.current()}
          data-testid="alerts-refresh"
        >
          {busy ? <span class="spinner" aria-hidden="true" /> : <Icon name="refresh" />}
          {busy ? t('watch.refreshing') : t('watch.refresh')}
        </button>
      </div>

      {error ? <ErrorMessage error={error} onRetry={() => loadRef.current()} /> : null}

      {alerts ? (
        <>
          <p class="result-count" role="status" data-testid="alerts-count">
            {t(filter === 'open' ? 'alerts.count_open' : 'alerts.count_all', { count: alerts.length })}
          </p>
          {alerts.length === 0 ? (
            <p class="empty" data-testid="alerts-empty">
              {t(filter === 'open' ? 'alerts.empty_open' : 'alerts.empty_all')}
            </p>
          ) : (
            <ul class="alert-list" data-testid="alert-list">
              {alerts.map((alert) => (
                <AlertCard key={alert.id} alert={alert} nowMs={nowMs} lang={lang} />
              ))}
            </ul>
          )}
        </>
      ) : busy ? (
        <Loading />
      ) : null}
    </Page>
  );
}

function SoundToggle({ enabled }: { enabled: boolean }) {
  if (!soundSupported()) {
    return (
      <p class="alerts-sound-note" data-testid="alerts-sound-unsupported">
        {t('alerts.sound_unsupported')}
      </p>
    );
  }
  return (
    <button
      type="button"
      class="button button-secondary alerts-sound"
      aria-pressed={enabled}
      onClick={() => {
        setAlertSoundEnabled(!enabled);
        // Turning it on plays the chime once: the operator hears what to expect (and the click unlocks audio).
        if (!enabled) void playAlertSound(true);
      }}
      data-testid="alerts-sound"
    >
      <Icon name={enabled ? 'sound-on' : 'sound-off'} />
      {t(enabled ? 'alerts.sound.on' : 'alerts.sound.off')}
    </button>
  );
}

function AlertPopup({ popup, alert, onDismiss }: { popup: Popup; alert: Alert | null; onDismiss: () => void }) {
  const urgency = alert?.urgency ?? popup.event.urgency;
  return (
    <div
      class={`alert-popup alert-popup-u${Math.min(Math.max(urgency, 1), 3)}`}
      role="alert"
      data-testid="alert-popup"
      data-alert={popup.alert}
      data-reason={popup.reason}
      data-sound={popup.sound ?? 'pending'}
    >
      <div class="alert-popup-body">
        <p class="alert-popup-title">
          <Icon name="alerts" />
          <span>{t(popup.reason === 'new' ? 'alerts.popup.new' : 'alerts.popup.renotify')}</span>
        </p>
        <p class="alert-popup-what" data-testid="alert-popup-what">
          {alert?.resident ? <strong>{t('alerts.popup.who', { name: alert.resident.name })}</strong> : null}
          {kindLabel(alert?.kind ?? popup.event.kind)}（{urgencyLabel(urgency)}）
        </p>
        {alert ? (
          <p class="alert-popup-text" data-testid="alert-popup-text">
            {alert.text}
          </p>
        ) : null}
        {popup.sound === 'blocked' ? <p class="alert-popup-hint">{t('alerts.popup.blocked')}</p> : null}
      </div>
      <div class="alert-popup-actions">
        <Link href={`/watch/alerts/${popup.alert}`} class="button button-primary" data-testid="alert-popup-open">
          {t('alerts.popup.open')}
        </Link>
        <button type="button" class="button button-secondary" onClick={onDismiss} data-testid="alert-popup-dismiss">
          {t('alerts.popup.dismiss')}
        </button>
      </div>
    </div>
  );
}

function AlertCard({ alert, nowMs, lang }: { alert: Alert; nowMs: number; lang: Lang }) {
  const resident = alert.resident;
  const name = resident?.name ?? t('alerts.unknown_resident');
  const titleId = `alert-${alert.id}-title`;
  return (
    <li
      class={`alert-card alert-card-u${Math.min(Math.max(alert.urgency, 1), 3)} alert-card-${alert.state}`}
      aria-labelledby={titleId}
      data-testid="alert-card"
      data-alert={alert.id}
      data-kind={alert.kind}
      data-state={alert.state}
      data-level={alert.level}
      data-urgency={alert.urgency}
    >
      <AlertCardHead alert={alert}>
        <time class="alert-age" dateTime={alert.opened_at} title={formatDateTime(alert.opened_at, lang)} data-testid="alert-age">
          {formatAgo(alert.opened_at, nowMs)}
        </time>
      </AlertCardHead>
      <h2 class="alert-card-title" id={titleId}>
        <span data-testid="alert-resident-name">{name}</span>
        {resident?.kana ? (
          <span class="alert-kana" data-testid="alert-resident-kana">
            {resident.kana}
          </span>
        ) : null}
      </h2>
      <p class="alert-text" data-testid="alert-text">
        {alert.text}
      </p>
      <LevelSteps level={alert.level} />
      {resident ? (
        <div class="alert-contact-line">
          <p class="alert-address" data-testid="alert-address">
            {resident.address}
          </p>
          <div class="alert-phones" data-testid="alert-phones">
            {resident.phones.length === 0 ? (
              <span class="watch-none">{t('alerts.phone_none')}</span>
            ) : (
              resident.phones.map((phone) => <TelLink key={phone} phone={phone} testId="alert-phone" />)
            )}
          </div>
        </div>
      ) : null}
      <div class="alert-card-foot">
        <p class={alert.claimed_by ? 'alert-holder' : 'alert-holder alert-holder-none'} data-testid="alert-holder">
          {alert.state === 'closed'
            ? t('alerts.closed_at', { time: alert.closed_at ? formatDateTime(alert.closed_at, lang) : '' })
            : alert.claimed_by
              ? t('alerts.holder', { name: alert.claimed_by.name })
              : t('alerts.holder_none')}
        </p>
        <Link href={`/watch/alerts/${alert.id}`} class="button button-primary alert-open" data-testid="alert-open">
          {t(alert.state === 'closed' ? 'alerts.view' : 'alerts.open')}
          <span class="visually-hidden">{t('alerts.open_for', { name })}</span>
        </Link>
      </div>
    </li>
  );
}
