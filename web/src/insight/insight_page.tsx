import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { DEFAULT_COHORT, getProfile, listCohorts, profileCsvUrl, type Cohort, type Profile, type ProfileQuery } from '../api/insight';
import { formatDateTimeShort, formatNumber, localDate } from '../common/format';
import { t, useLang, type Lang } from '../common/i18n';
import { replaceQuery, useLocation } from '../common/router';
import { useResource } from '../common/use_resource';
import { Denied } from '../components/denied';
import { describeError, ErrorMessage } from '../components/error_message';
import { Loading } from '../components/loading';
import { InputField } from '../components/form_field';
import { Page } from '../components/page';
import { NotFoundPage } from '../not_found/not_found_page';
import { printPage } from './chart_kit';
import { FindingsSection } from './findings';
import {
  customProblem,
  daysBetween,
  formatDay,
  periodParams,
  PERIOD_PRESETS,
  presetPeriod,
  readPeriod,
  type CustomProblem,
  type Period,
  type PeriodKind,
} from './period';
import { HeatSection, HourSection, WeekdaySection, WeeklySection, type CohortMode } from './profile_charts';
import { RecordedSection } from './recorded_findings';
import { RhythmSection } from './rhythm_summary';
import './insight.css';

function writeQuery(period: Period, cohort: string): void {
  replaceQuery({ ...periodParams(period), cohort: cohort === DEFAULT_COHORT ? undefined : cohort });
}

/**
 * 生活リズム分析: one watched household's fridge-door openings over a period, compared with a
 * cohort, with the findings read from them and those the daily analysis recorded. The period and
 * the cohort live in the URL (?period=90d | ?from=&to=, &cohort=); the page prints on A4.
 */
export function InsightPage({ id }: { id: string }) {
  const lang = useLang();
  const { query } = useLocation();
  const household = /^\d+$/.test(id) ? Number(id) : NaN;
  const today = localDate(Date.now());
  const period = readPeriod(query, today);
  const cohortId = query.get('cohort') || DEFAULT_COHORT;
  const asked: ProfileQuery = { from: period.from, to: period.to, cohort: cohortId };
  const [cohorts] = useResource((signal) => listCohorts(signal), []);
  const [profile, reload] = useResource(
    (signal) => (Number.isNaN(household) ? Promise.reject(new ApiError(404, 'not_found', 'not found')) : getProfile(household, asked, signal)),
    [household, asked.from, asked.to, asked.cohort],
  );
  const [mode, setMode] = useState<CohortMode>('sum');

  // While another period or cohort loads, the last one stays on screen (dimmed), not a spinner.
  const last = useRef<Profile | null>(null);
  if (profile.state === 'ok') last.current = profile.data;
  if (last.current && last.current.household !== household) last.current = null;
  const shown = last.current;

  if (profile.state === 'error' && profile.error.status === 403) return <Denied />;
  if (profile.state === 'error' && profile.error.status === 404) {
    return <NotFoundPage title={t('insight.not_found')} lead={t('insight.not_found_lead')} testId="insight-not-found" />;
  }

  const error = profile.state === 'error' ? profile.error : null;
  const fieldError = error && error.status === 400 && ['from', 'to', 'cohort'].includes(error.field ?? '') ? error : null;

  return (
    <div class="ins-page">
      <Page
        title={t('insight.title')}
        lead={shown ? <PersonLead profile={shown} /> : undefined}
        testId="insight-page"
        actions={
          <>
            <a class="button button-secondary" href={profileCsvUrl(household, asked)} download="" data-testid="insight-csv">
              {t('insight.csv')}
            </a>
            <button type="button" class="button button-secondary" onClick={printPage} data-testid="insight-print">
              {t('insight.print')}
            </button>
          </>
        }
      >
        <Controls
          period={period}
          cohortId={cohortId}
          cohorts={cohorts.state === 'ok' ? cohorts.data : shown ? [shown.cohort] : []}
          today={today}
          fieldError={fieldError}
          onApply={writeQuery}
        />
        {error && !fieldError ? <ErrorMessage error={error} onRetry={reload} /> : null}
        {shown ? (
          <div class={profile.state === 'loading' ? 'ins-body is-stale' : 'ins-body'} aria-busy={profile.state === 'loading'} data-testid="insight-body">
            <PeriodSummary profile={shown} lang={lang} />
            <FindingsSection findings={shown.findings} />
            <HourSection profile={shown} mode={mode} onMode={setMode} />
            <div class="ins-pair">
              <WeekdaySection profile={shown} />
              <WeeklySection profile={shown} />
            </div>
            <HeatSection profile={shown} />
            <RhythmSection profile={shown} />
          </div>
        ) : profile.state === 'loading' ? (
          <Loading />
        ) : null}
        {Number.isNaN(household) ? null : <RecordedSection household={household} />}
        <p class="print-only ins-printed">{t('insight.printed_at', { time: formatDateTimeShort(new Date().toISOString(), lang) })}</p>
      </Page>
    </div>
  );
}

function PersonLead({ profile }: { profile: Profile }) {
  const person = profile.person;
  return (
    <span class="ins-person" data-testid="insight-person" data-person={person.id} data-household={profile.household}>
      <strong class="ins-person-name" data-testid="insight-person-name">
        {person.name}
      </strong>
      {person.kana ? <span class="ins-person-kana">{person.kana}</span> : null}
      {person.district ? <span class="ins-person-district">{person.district}</span> : null}
    </span>
  );
}

/** The period, the cohort and the totals, in one line above the charts (also on paper). */
function PeriodSummary({ profile, lang }: { profile: Profile; lang: Lang }) {
  const total = profile.hourly.reduce((sum, n) => sum + n, 0);
  const days = profile.days || daysBetween(profile.from, profile.to);
  return (
    <p class="ins-summary" data-testid="insight-summary" data-from={profile.from} data-to={profile.to} data-cohort={profile.cohort.id}>
      <span data-testid="insight-summary-period">
        {t('insight.summary.period', {
          from: formatDay(profile.from, lang, { year: true }),
          to: formatDay(profile.to, lang, { year: true }),
          days,
        })}
      </span>
      <span data-testid="insight-summary-cohort">
        {t('insight.summary.cohort', { cohort: profile.cohort.name, households: profile.cohort.households })}
      </span>
      <span data-testid="insight-summary-total">
        {t('insight.summary.total', {
          total: formatNumber(total, lang, 0),
          perDay: formatNumber(days > 0 ? total / days : 0, lang, 1),
        })}
      </span>
    </p>
  );
}

const PERIOD_LABELS: Record<PeriodKind, 'insight.period.4w' | 'insight.period.90d' | 'insight.period.1y' | 'insight.period.custom'> = {
  '4w': 'insight.period.4w',
  '90d': 'insight.period.90d',
  '1y': 'insight.period.1y',
  custom: 'insight.period.custom',
};

const PROBLEM_TEXT: Record<Exclude<CustomProblem, null>, 'insight.period.error.from' | 'insight.period.error.to' | 'insight.period.error.order' | 'insight.period.error.future'> = {
  from: 'insight.period.error.from',
  to: 'insight.period.error.to',
  order: 'insight.period.error.order',
  future: 'insight.period.error.future',
};

/** The period (three presets or two dates) and the cohort to compare with. */
function Controls({
  period,
  cohortId,
  cohorts,
  today,
  fieldError,
  onApply,
}: {
  period: Period;
  cohortId: string;
  cohorts: Cohort[];
  today: string;
  /** The server's 400 for from, to or cohort. */
  fieldError: ApiError | null;
  onApply: (period: Period, cohort: string) => void;
}) {
  const [kind, setKind] = useState<PeriodKind>(period.kind);
  const [from, setFrom] = useState(period.from);
  const [to, setTo] = useState(period.to);
  const [problem, setProblem] = useState<CustomProblem>(null);

  // The URL can change underneath (back, a link): follow it.
  useEffect(() => {
    setKind(period.kind);
    setFrom(period.from);
    setTo(period.to);
    setProblem(null);
  }, [period.kind, period.from, period.to]);

  const choose = (next: PeriodKind) => {
    setKind(next);
    setProblem(null);
    if (next !== 'custom') onApply(presetPeriod(next, today), cohortId);
  };

  const applyCustom = (event: Event) => {
    event.preventDefault();
    const found = customProblem(from, to, today);
    setProblem(found);
    if (found) {
      document.getElementById(found === 'from' ? 'ins-from' : 'ins-to')?.focus();
      return;
    }
    onApply({ kind: 'custom', from, to }, cohortId);
  };

  const serverField = fieldError?.field ?? null;
  const fromInvalid = problem === 'from' || serverField === 'from';
  const toInvalid = problem === 'to' || problem === 'order' || problem === 'future' || serverField === 'to';
  const cohortKnown = cohorts.some((c) => c.id === cohortId);
  const dateFields = [
    { id: 'ins-from', label: t('insight.period.from'), value: from, onValue: setFrom, invalid: fromInvalid, testId: 'insight-from' },
    { id: 'ins-to', label: t('insight.period.to'), value: to, onValue: setTo, invalid: toInvalid, testId: 'insight-to' },
  ];

  return (
    <div class="card ins-controls no-print" data-testid="insight-controls">
      <fieldset class="ins-periods">
        <legend>{t('insight.period')}</legend>
        <div class="ins-period-options">
          {[...PERIOD_PRESETS, 'custom' as const].map((option) => (
            <label key={option} class={kind === option ? 'ins-period-option is-checked' : 'ins-period-option'}>
              <input
                type="radio"
                name="ins-period"
                value={option}
                checked={kind === option}
                onChange={() => choose(option)}
                data-testid={`insight-period-${option}`}
              />
              <span>{t(PERIOD_LABELS[option])}</span>
            </label>
          ))}
        </div>
        {kind === 'custom' ? (
          <form class="ins-custom" onSubmit={applyCustom} noValidate data-testid="insight-custom">
            {dateFields.map((field) => (
              <InputField
                key={field.id}
                id={field.id}
                label={field.label}
                type="date"
                value={field.value}
                max={today}
                onValue={field.onValue}
                aria-invalid={field.invalid ? 'true' : undefined}
                aria-describedby={field.invalid ? 'ins-period-error' : undefined}
                data-testid={field.testId}
              />
            ))}
            <button type="submit" class="button button-primary" data-testid="insight-period-apply">
              {t('insight.period.apply')}
            </button>
            {problem || serverField === 'from' || serverField === 'to' ? (
              <p id="ins-period-error" class="field-error" role="alert" data-testid="insight-period-error">
                {problem ? t(PROBLEM_TEXT[problem]) : describeError(fieldError!)}
              </p>
            ) : null}
          </form>
        ) : (
          <p class="field-hint">{t('insight.period.hint')}</p>
        )}
      </fieldset>
      <div class="field ins-cohort">
        <label for="ins-cohort">{t('insight.cohort')}</label>
        <select
          id="ins-cohort"
          value={cohortId}
          onChange={(e) => onApply(period, e.currentTarget.value)}
          aria-invalid={serverField === 'cohort' ? 'true' : undefined}
          aria-describedby={serverField === 'cohort' ? 'ins-cohort-error' : undefined}
          data-testid="insight-cohort"
        >
          {cohortKnown ? null : <option value={cohortId}>{cohortId}</option>}
          {cohorts.map((cohort) => (
            <option key={cohort.id} value={cohort.id}>
              {t('insight.cohort.option', { name: cohort.name, households: cohort.households })}
            </option>
          ))}
        </select>
        {serverField === 'cohort' ? (
          <p id="ins-cohort-error" class="field-error" role="alert" data-testid="insight-cohort-error">
            {t('insight.cohort.error')}
          </p>
        ) : null}
      </div>
    </div>
  );
}
