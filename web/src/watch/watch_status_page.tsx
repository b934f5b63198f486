import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import {
  isHouseholdState,
  STATES_BY_SEVERITY,
  WATCH_ALERT_EVENT,
  WATCH_PAGE_SIZE,
  WATCH_STATUS_EVENT,
  type HouseholdState,
  type HouseholdStatus,
} from '../api/watch';
import { formatAgo, formatDateTime, formatNumber } from '../common/format';
import { t, useLang, type Lang } from '../common/i18n';
import { replaceQuery, useLocation } from '../common/router';
import { eventStream, hasPermission, useSession, useStreamState } from '../common/session';
import { useClock } from '../common/use_clock';
import { asApiError } from '../common/use_resource';
import { Denied } from '../components/denied';
import { ErrorMessage } from '../components/error_message';
import { SelectField } from '../components/form_field';
import { Icon } from '../components/icons';
import { Link } from '../components/link';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { insightPath } from '../insight/insight_link';
import { loadMore, loadSnapshot, type SortOrder, type StatusQuery, type StatusSnapshot } from './status_loader';
import './watch.css';

const TYPING_PAUSE_MS = 300;
/** Uploads come in bursts (every gateway at 08:00): refresh at most about once a second. */
const LIVE_REFRESH_DELAY_MS = 1000;
/** "… ago" is recomputed this often. */
const CLOCK_TICK_MS = 30_000;

// Same limits as the server's classification (src/watch/status.h), to say *why* a tile needs attention.
const HOT_CELSIUS = 31;
const COLD_CELSIUS = 10;
const LOW_BATTERY_PERCENT = 20;
const OFFLINE_AFTER_MS = 20 * 3600_000;

/** What is loading: a new query, a refresh asked for by the user or by the event stream, or "more". */
type Busy = 'load' | 'refresh' | 'live' | 'more' | null;

function readQuery(params: URLSearchParams): StatusQuery {
  const state = params.get('state');
  return {
    q: params.get('q') ?? '',
    state: isHouseholdState(state) ? state : null,
    sort: params.get('sort') === 'name' ? 'name' : 'severity',
  };
}

function writeQuery(query: StatusQuery): void {
  replaceQuery({
    q: query.q.trim() || undefined,
    state: query.state ?? undefined,
    sort: query.sort === 'name' ? 'name' : undefined,
  });
}

/**
 * 見守り ステータス一覧: one tile per household, most urgent first. Filters live in the URL
 * (?q=&state=&sort=); the list refreshes itself when the event stream reports an upload or an alert change.
 */
export function WatchStatusPage() {
  const lang = useLang();
  const { query: params } = useLocation();
  const query = readQuery(params);
  const queryKey = `${query.q}\n${query.state ?? ''}\n${query.sort}`;
  const [text, setText] = useState(query.q);
  const [snapshot, setSnapshot] = useState<StatusSnapshot | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<Busy>('load');
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const session = useSession();
  const canAdminister = hasPermission(session, 'watch.admin');
  const canHandleAlerts = hasPermission(session, 'watch.alerts');
  const canSeeInsight = hasPermission(session, 'insight.view');
  useClock(CLOCK_TICK_MS);

  // One load at a time: a new query aborts the running load; a refresh asked for meanwhile runs after it.
  const running = useRef<{ controller: AbortController; kind: Busy } | null>(null);
  const refreshQueued = useRef(false);
  const snapshotRef = useRef(snapshot);
  snapshotRef.current = snapshot;

  const run = (kind: Exclude<Busy, null>, task: (signal: AbortSignal) => Promise<StatusSnapshot>) => {
    running.current?.controller.abort();
    const controller = new AbortController();
    running.current = { controller, kind };
    setBusy(kind);
    const settle = () => {
      running.current = null;
      setBusy(null);
      if (refreshQueued.current) {
        refreshQueued.current = false;
        refreshRef.current();
      }
    };
    task(controller.signal).then(
      (next) => {
        if (controller.signal.aborted) return;
        setSnapshot(next);
        setError(null);
        if (kind === 'more') setFocusIndex(snapshotRef.current?.households.length ?? null);
        settle();
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(asApiError(err));
        settle();
      },
    );
  };

  const refresh = (kind: 'refresh' | 'live' = 'live') => {
    const current = snapshotRef.current;
    if (running.current) {
      refreshQueued.current = true;
      return;
    }
    if (!current) return;
    run(kind, (signal) => loadSnapshot(current.query, Math.max(WATCH_PAGE_SIZE, current.households.length), signal));
  };
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;

  useEffect(() => {
    run('load', (signal) => loadSnapshot(query, WATCH_PAGE_SIZE, signal));
  }, [queryKey]);

  useEffect(() => () => running.current?.controller.abort(), []);

  useLiveRefresh(() => refreshRef.current());

  // Search while typing, after a short pause.
  useEffect(() => {
    if (text.trim() === query.q.trim()) return undefined;
    const timer = window.setTimeout(() => writeQuery({ ...query, q: text }), TYPING_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);

  // After "show more", keyboard users continue at the first new tile.
  const grid = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (focusIndex === null) return;
    grid.current?.querySelectorAll<HTMLElement>('.watch-tile-link')[focusIndex]?.focus();
    setFocusIndex(null);
  }, [focusIndex]);

  if (error && error.status === 403) return <Denied />;

  const shown = snapshot && snapshot.households;
  const rest = snapshot ? snapshot.total - snapshot.households.length : 0;

  return (
    <Page
      title={t('watch.title')}
      lead={t('watch.lead')}
      testId="watch-page"
      actions={
        canAdminister || canHandleAlerts ? (
          <>
            {canHandleAlerts ? (
              <Link href="/watch/alerts" class="button button-primary" data-testid="watch-alerts-link">
                <Icon name="alerts" />
                {t('alerts.link')}
              </Link>
            ) : null}
            {canAdminister ? (
              <Link href="/watch/admin" class="button button-secondary" data-testid="watch-admin-link">
                {t('watch.admin.link')}
              </Link>
            ) : null}
          </>
        ) : null
      }
    >
      <form
        class="watch-filters"
        role="search"
        aria-label={t('watch.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          writeQuery({ ...query, q: text });
        }}
      >
        <div class="field watch-search">
          <label for="watch-search">{t('watch.search_label')}</label>
          <input
            id="watch-search"
            type="search"
            value={text}
            placeholder={t('watch.search_placeholder')}
            autocomplete="off"
            onInput={(e) => setText(e.currentTarget.value)}
            data-testid="watch-search"
          />
        </div>
        <SelectField
          id="watch-sort"
          label={t('watch.sort')}
          value={query.sort}
          onValue={(sort) => writeQuery({ ...query, q: text, sort: sort as SortOrder })}
          data-testid="watch-sort"
        >
          <option value="severity">{t('watch.sort.severity')}</option>
          <option value="name">{t('watch.sort.name')}</option>
        </SelectField>
      </form>

      <div class="watch-chips" role="group" aria-label={t('watch.filter_state')} data-testid="watch-chips">
        {[null, ...STATES_BY_SEVERITY].map((state) => (
          <StateChip
            key={state ?? 'all'}
            state={state}
            selected={query.state === state}
            count={
              snapshot && snapshot.query.q === query.q
                ? state
                  ? snapshot.counts[state]
                  : STATES_BY_SEVERITY.reduce((sum, s) => sum + snapshot.counts[s], 0)
                : null
            }
            lang={lang}
            onSelect={() => writeQuery({ ...query, q: text, state })}
          />
        ))}
      </div>

      {error ? <ErrorMessage error={error} onRetry={() => run('load', (signal) => loadSnapshot(query, WATCH_PAGE_SIZE, signal))} /> : null}

      {snapshot && shown ? (
        <>
          <div class="watch-summary">
            <p class="result-count" role="status" data-testid="watch-count">
              {t('watch.count', { total: formatNumber(snapshot.total, lang, 0), shown: formatNumber(shown.length, lang, 0) })}
            </p>
            <p class="watch-as-of">
              <time dateTime={snapshot.asOf} data-testid="watch-as-of">
                {t('watch.as_of', { time: formatDateTime(snapshot.asOf, lang) })}
              </time>
              {/* Live refreshes stay quiet; a refresh the user asked for shows that it is running. */}
              <button
                type="button"
                class="button button-quiet button-small watch-refresh"
                onClick={() => refresh('refresh')}
                data-testid="watch-refresh"
              >
                {busy === 'refresh' || busy === 'load' ? (
                  <>
                    <span class="spinner" aria-hidden="true" />
                    {t('watch.refreshing')}
                  </>
                ) : (
                  <>
                    <Icon name="refresh" />
                    {t('watch.refresh')}
                  </>
                )}
              </button>
            </p>
          </div>
          {shown.length === 0 ? (
            <p class="empty" data-testid="watch-empty">
              {query.q || query.state ? t('watch.empty') : t('watch.empty_all')}
            </p>
          ) : (
            <ul
              class={busy === 'load' ? 'watch-grid is-stale' : 'watch-grid'}
              aria-busy={busy === 'load'}
              ref={grid}
              data-testid="watch-grid"
            >
              {shown.map((household) => (
                <HouseholdTile
                  key={household.id}
                  household={household}
                  nowMs={Date.now() + snapshot.skewMs}
                  lang={lang}
                  insight={canSeeInsight}
                />
              ))}
            </ul>
          )}
          {rest > 0 ? (
            <p class="more">
              <button
                type="button"
                class="button button-secondary watch-more"
                onClick={() => {
                  const current = snapshot;
                  run('more', (signal) => loadMore(current, WATCH_PAGE_SIZE, signal));
                }}
                disabled={busy !== null}
                data-testid="watch-more"
              >
                {busy === 'more' ? t('app.loading') : t('watch.more', { rest: formatNumber(rest, lang, 0) })}
              </button>
            </p>
          ) : null}
        </>
      ) : busy ? (
        <Loading />
      ) : null}
    </Page>
  );
}

/**
 * Calls `refresh` after sensor uploads and alert changes: at most one refresh per LIVE_REFRESH_DELAY_MS however many
 * events arrive, none while the tab is hidden (one when it is shown again), and one after the
 * event stream reconnects (events may have been missed).
 */
function useLiveRefresh(refresh: () => void): void {
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  const streamState = useStreamState();
  const wasOpen = useRef(streamState === 'open');
  const lastState = useRef(streamState);

  useEffect(() => {
    let timer: number | undefined;
    let missed = false;
    const fire = () => {
      timer = undefined;
      if (document.hidden) missed = true;
      else refreshRef.current();
    };
    const schedule = () => {
      if (timer === undefined) timer = window.setTimeout(fire, LIVE_REFRESH_DELAY_MS);
    };
    const stream = eventStream();
    const offs = stream ? [stream.on(WATCH_STATUS_EVENT, schedule), stream.on(WATCH_ALERT_EVENT, schedule)] : [];
    const onVisibility = () => {
      if (!document.hidden && missed) {
        missed = false;
        refreshRef.current();
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      for (const off of offs) off();
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);

  useEffect(() => {
    const previous = lastState.current;
    lastState.current = streamState;
    if (streamState !== 'open') return;
    if (wasOpen.current && previous !== 'open') refreshRef.current();
    wasOpen.current = true;
  }, [streamState]);
}

function StateChip({
  state,
  selected,
  count,
  lang,
  onSelect,
}: {
  state: HouseholdState | null;
  selected: boolean;
  count: number | null;
  lang: Lang;
  onSelect: () => void;
}) {
  const id = state ?? 'all';
  return (
    <button
      type="button"
      class={`watch-chip watch-chip-${id}`}
      aria-pressed={selected}
      onClick={onSelect}
      data-testid={`watch-chip-${id}`}
    >
      {state ? <Icon name={`state-${state}`} /> : null}
      <span>{t(`watch.state.${id}`)}</span>
      <span class="watch-chip-count" data-testid="watch-chip-count">
        {count === null ? '–' : formatNumber(count, lang, 0)}
      </span>
    </button>
  );
}

function StateBadge({ state }: { state: HouseholdState }) {
  return (
    <span class={`watch-state watch-state-${state}`} data-testid="watch-tile-state">
      <Icon name={`state-${state}`} />
      {t(`watch.state.${state}`)}
    </span>
  );
}

function HouseholdTile({
  household: h,
  nowMs,
  lang,
  insight,
}: {
  household: HouseholdStatus;
  nowMs: number;
  lang: Lang;
  /** Also link to the household's life-rhythm analysis. */
  insight: boolean;
}) {
  const hot = h.temperature !== null && h.temperature >= HOT_CELSIUS;
  const cold = h.temperature !== null && h.temperature <= COLD_CELSIUS;
  const lowBattery = h.battery !== null && h.battery <= LOW_BATTERY_PERCENT;
  // An alert outranks "offline", but a silent gateway is still worth pointing out.
  const silent = h.last_upload === null || nowMs - Date.parse(h.last_upload) > OFFLINE_AFTER_MS;
  const percent = (value: number) => t('watch.unit.percent', { value: formatNumber(value, lang, 0) });
  return (
    <li
      class={`watch-tile watch-tile-${h.state}${insight ? ' watch-tile-has-insight' : ''}`}
      data-testid="watch-tile"
      data-state={h.state}
      data-household={h.id}
      data-person={h.person}
    >
      <Link href={`/persons/${h.person}`} class="watch-tile-link" data-testid="watch-tile-link">
        <span class="watch-tile-head">
          <span class="watch-names">
            <span class="watch-name" data-testid="watch-tile-name">
              {h.name}
            </span>
            <span class="watch-kana" data-testid="watch-tile-kana">
              {h.kana}
            </span>
          </span>
          <StateBadge state={h.state} />
        </span>
        {h.district ? <span class="watch-district">{h.district}</span> : null}
        <dl class="watch-metrics">
          {h.open_alerts > 0 ? (
            <Metric label={t('watch.metric.alerts')} testId="watch-alerts" tone="alert" wide>
              {t('watch.metric.alerts_value', { count: h.open_alerts })}
            </Metric>
          ) : null}
          <Metric label={t('watch.metric.last_upload')} testId="watch-last-upload" tone={silent ? 'warn' : undefined} wide>
            {h.last_upload ? (
              <time dateTime={h.last_upload} title={formatDateTime(h.last_upload, lang)} data-testid="watch-last-upload-time">
                {formatAgo(h.last_upload, nowMs)}
              </time>
            ) : (
              t('watch.metric.never')
            )}
          </Metric>
          <Metric label={t('watch.metric.door')} testId="watch-door">
            {t('watch.metric.door_value', { count: h.door_openings_today })}
          </Metric>
          <Metric label={t('watch.metric.temperature')} testId="watch-temperature" tone={hot || cold ? 'warn' : undefined}>
            {h.temperature === null ? (
              <span class="watch-none">{t('watch.metric.none')}</span>
            ) : (
              <>
                {t('watch.unit.celsius', { value: formatNumber(h.temperature, lang) })}
                {hot || cold ? <span class="watch-flag">{t(hot ? 'watch.metric.hot' : 'watch.metric.cold')}</span> : null}
              </>
            )}
          </Metric>
          <Metric label={t('watch.metric.humidity')} testId="watch-humidity">
            {h.humidity === null ? <span class="watch-none">{t('watch.metric.none')}</span> : percent(h.humidity)}
          </Metric>
          {lowBattery && h.battery !== null ? (
            <Metric label={t('watch.metric.battery')} testId="watch-battery" tone="warn">
              {percent(h.battery)}
              <span class="watch-flag">{t('watch.metric.low')}</span>
            </Metric>
          ) : null}
        </dl>
      </Link>
      {/* Beside the tile's link, not inside it: a link may not hold another. */}
      {insight ? (
        <Link
          href={insightPath(h.id)}
          class="watch-tile-insight"
          aria-label={t('insight.link_tile_label', { name: h.name })}
          data-testid="watch-tile-insight"
        >
          <Icon name="insight" />
          {t('insight.link_tile')}
        </Link>
      ) : null}
    </li>
  );
}

function Metric({
  label,
  testId,
  tone,
  wide = false,
  children,
}: {
  label: string;
  testId: string;
  tone?: 'warn' | 'alert';
  wide?: boolean;
  children: ComponentChildren;
}) {
  const classes = ['watch-metric', tone ? `watch-metric-${tone}` : '', wide ? 'watch-metric-wide' : ''].filter(Boolean).join(' ');
  return (
    <div class={classes} data-testid={testId}>
      <dt>{label}</dt>
      <dd data-testid={`${testId}-value`}>{children}</dd>
    </div>
  );
}
