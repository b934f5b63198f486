import type { ComponentChildren } from 'preact';
import type { Profile, TimeWindow } from '../api/insight';
import { t, useLang, type Lang } from '../common/i18n';
import { formatShare } from './findings';
import { formatDay } from './period';
import { Section } from './profile_charts';

function Row({ label, testId, children }: { label: string; testId: string; children: ComponentChildren }) {
  return (
    <div class="ins-rhythm-row" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Windows({ windows, lang, testId }: { windows: TimeWindow[]; lang: Lang; testId: string }) {
  if (windows.length === 0) return <span class="ins-none">{t('insight.rhythm.none')}</span>;
  return (
    <ul class="ins-chips" data-testid={testId}>
      {windows.map((w) => (
        <li key={`${w.from}-${w.to}`} class="ins-chip">
          {t('insight.rhythm.window', { from: w.from, to: w.to, share: formatShare(w.share, lang) })}
        </li>
      ))}
    </ul>
  );
}

/** Days without openings as dates with their weekday; a silent day carries a mark (not colour alone). */
function DayChips({ dates, kind, lang }: { dates: string[]; kind: 'absent' | 'silent'; lang: Lang }) {
  if (dates.length === 0) return <span class="ins-none">{t('insight.rhythm.none')}</span>;
  return (
    <ul class="ins-chips">
      {dates.map((date) => (
        <li key={date} class={`ins-chip ins-chip-${kind}`} data-testid={`insight-${kind}-day`} data-date={date}>
          {kind === 'silent' ? (
            <span aria-hidden="true" class="ins-chip-mark">
              !
            </span>
          ) : null}
          {formatDay(date, lang, { weekday: true })}
        </li>
      ))}
    </ul>
  );
}

/** The night shares of the person and the cohort as two bars on one scale, with the numbers. */
function NightShares({ person, cohort, cohortName, lang }: { person: number; cohort: number; cohortName: string; lang: Lang }) {
  // One scale for both, at least 0–10 %: a 1 % night share must not fill the bar.
  const top = Math.max(person, cohort, 0.1);
  const rows = [
    { key: 'person', label: t('insight.col.person'), share: person, className: 'ins-person-bar' },
    { key: 'cohort', label: cohortName, share: cohort, className: 'ins-cohort-fill' },
  ];
  return (
    <ul class="ins-night" data-testid="insight-night">
      {rows.map((row) => (
        <li key={row.key} data-testid={`insight-night-${row.key}`} data-share={row.share}>
          <span class="ins-night-label">{row.label}</span>
          <svg class="ins-night-bar" viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true" focusable="false">
            <rect class="ins-night-track" x="0" y="0" width="100" height="12" />
            <rect class={row.className} x="0" y="0" width={(row.share / top) * 100} height="12" />
          </svg>
          <strong class="ins-night-value">{formatShare(row.share, lang)}</strong>
        </li>
      ))}
    </ul>
  );
}

/**
 * 生活リズムのまとめ: waking and bedtime, the person's busy hours beside the cohort's peaks, the
 * night share, and the days without openings — away on a recurring weekday (short stays) apart
 * from the silent days nobody explained.
 */
export function RhythmSection({ profile }: { profile: Profile }) {
  const lang = useLang();
  const rhythm = profile.rhythm;
  return (
    <Section id="ins-rhythm-title" title={t('insight.rhythm.title')} testId="insight-rhythm">
      <dl class="ins-rhythm">
        <Row label={t('insight.rhythm.waking')} testId="insight-waking">
          <strong class="ins-time">{rhythm.waking ?? t('insight.rhythm.unknown')}</strong>
        </Row>
        <Row label={t('insight.rhythm.bedtime')} testId="insight-bedtime">
          <strong class="ins-time">{rhythm.bedtime ?? t('insight.rhythm.unknown')}</strong>
        </Row>
        <Row label={t('insight.rhythm.windows')} testId="insight-windows">
          <Windows windows={rhythm.windows} lang={lang} testId="insight-windows-list" />
        </Row>
        <Row label={t('insight.rhythm.peaks', { cohort: profile.cohort.name })} testId="insight-peaks">
          <Windows windows={profile.cohort.peaks} lang={lang} testId="insight-peaks-list" />
        </Row>
        <Row label={t('insight.rhythm.night')} testId="insight-night-row">
          <NightShares person={rhythm.night_share} cohort={profile.cohort.night_share} cohortName={profile.cohort.name} lang={lang} />
        </Row>
        <Row label={t('insight.rhythm.absent')} testId="insight-absent">
          <p class="ins-row-hint">{t('insight.rhythm.absent_hint')}</p>
          <DayChips dates={rhythm.absent_days.map((day) => day.date)} kind="absent" lang={lang} />
        </Row>
        <Row label={t('insight.rhythm.silent')} testId="insight-silent">
          <p class="ins-row-hint">{t('insight.rhythm.silent_hint')}</p>
          <DayChips dates={rhythm.silent_days} kind="silent" lang={lang} />
        </Row>
      </dl>
    </Section>
  );
}
