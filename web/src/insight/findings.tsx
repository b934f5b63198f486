// Findings in words for professionals: what the profile shows, what to ask or check, and the
// numbers it rests on. The server writes both languages; the UI shows the one in use.
import type { ComponentChildren } from 'preact';
import type { Evidence, Finding } from '../api/insight';
import { formatNumber } from '../common/format';
import { t, tOptional, useLang, type Lang } from '../common/i18n';
import { formatDay, isDate } from './period';
import { Section } from './profile_charts';

/** The server's text in the UI language (Japanese when it sent no English). */
export function findingText(finding: Finding, lang: Lang): { text: string; suggestion: string } {
  return lang === 'en'
    ? { text: finding.text_en || finding.text, suggestion: finding.suggestion_en || finding.suggestion }
    : { text: finding.text, suggestion: finding.suggestion };
}

export function findingTitle(code: string): string {
  return tOptional(`insight.finding.${code}`, code);
}

/** Keys that hold a share (0–1) and read best as a percentage. */
const SHARE_KEY = /(share|ratio)$/;

function evidenceValue(key: string, value: unknown, lang: Lang): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    return SHARE_KEY.test(key) ? formatShare(value, lang) : formatNumber(value, lang, 2);
  }
  if (typeof value === 'boolean') return t(value ? 'insight.evidence.yes' : 'insight.evidence.no');
  if (Array.isArray(value)) return value.map((v) => evidenceValue(key, v, lang)).join(lang === 'ja' ? '、' : ', ');
  if (typeof value === 'object') return JSON.stringify(value);
  if (isDate(String(value))) return formatDay(String(value), lang, { weekday: true });
  return String(value);
}

/** 0.213 → "21%", 0.004 → "0.4%". */
export function formatShare(share: number, lang: Lang): string {
  return `${formatNumber(share * 100, lang, share < 0.1 ? 1 : 0)}%`;
}

function EvidenceList({ evidence }: { evidence: Evidence }) {
  const lang = useLang();
  const entries = Object.entries(evidence ?? {});
  if (entries.length === 0) return null;
  return (
    <div class="ins-evidence">
      <p class="ins-evidence-title">{t('insight.findings.evidence')}</p>
      <dl data-testid="insight-finding-evidence">
        {entries.map(([key, value]) => (
          <div key={key} data-key={key}>
            <dt>{tOptional(`insight.evidence.${key}`, key)}</dt>
            <dd>{evidenceValue(key, value, lang)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** A finding's heading, sentence, suggestion and evidence; `children` go under its heading. */
export function FindingBody({ finding, children }: { finding: Finding; children?: ComponentChildren }) {
  const lang = useLang();
  const { text, suggestion } = findingText(finding, lang);
  return (
    <>
      <h3 class="ins-finding-code" data-testid="insight-finding-code" data-code={finding.code}>
        {findingTitle(finding.code)}
      </h3>
      {children}
      <p class="ins-finding-text" data-testid="insight-finding-text">
        {text}
      </p>
      {suggestion ? (
        <div class="ins-suggestion">
          <p class="ins-suggestion-title">{t('insight.findings.suggestion')}</p>
          <p data-testid="insight-finding-suggestion">{suggestion}</p>
        </div>
      ) : null}
      <EvidenceList evidence={finding.evidence} />
    </>
  );
}

/** The findings the server reads from the period shown. */
export function FindingsSection({ findings }: { findings: Finding[] }) {
  return (
    <Section id="ins-findings-title" title={t('insight.findings.title')} testId="insight-findings" className="ins-findings">
      {findings.length === 0 ? (
        <p class="ins-none" data-testid="insight-findings-none">
          {t('insight.findings.none')}
        </p>
      ) : (
        <ul class="ins-finding-list">
          {findings.map((finding, i) => (
            <li key={`${finding.code}-${i}`} class="ins-finding" data-testid="insight-finding" data-code={finding.code}>
              <FindingBody finding={finding} />
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
