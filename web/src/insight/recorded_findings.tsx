import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import { DISCUSSION_NOTE_MAX, listFindings, markDiscussed, type RecordedFinding } from '../api/insight';
import { formatDateTimeShort } from '../common/format';
import { t, useLang, type Lang } from '../common/i18n';
import { hasPermission, useSession } from '../common/session';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { Dialog } from '../components/dialog';
import { describeError, ErrorMessage } from '../components/error_message';
import { Loading } from '../components/loading';
import { FindingBody, findingText } from './findings';
import { formatDay } from './period';
import { Section } from './profile_charts';

/**
 * 記録された所見: what the daily analysis found (also posted to the care team's timeline), newest
 * first, each either marked as discussed — by whom, when, with the note — or waiting for it.
 */
export function RecordedSection({ household }: { household: number }) {
  const lang = useLang();
  const session = useSession();
  const canDiscuss = hasPermission(session, 'insight.discuss');
  const [resource, reload] = useResource((signal) => listFindings(household, signal), [household]);
  const [list, setList] = useState<RecordedFinding[] | null>(null);
  const [marking, setMarking] = useState<RecordedFinding | null>(null);

  useEffect(() => {
    setList(resource.state === 'ok' ? resource.data : null);
  }, [resource]);

  const open = list ? list.filter((f) => !f.discussed).length : 0;
  return (
    <Section id="ins-recorded-title" title={t('insight.recorded.title')} testId="insight-recorded" className="ins-recorded ins-break-before">
      <p class="ins-section-lead">{t('insight.recorded.lead')}</p>
      {resource.state === 'loading' ? <Loading /> : null}
      {resource.state === 'error' ? <ErrorMessage error={resource.error} onRetry={reload} /> : null}
      {list ? (
        list.length === 0 ? (
          <p class="ins-none" data-testid="insight-recorded-none">
            {t('insight.recorded.none')}
          </p>
        ) : (
          <>
            <p class="result-count" data-testid="insight-recorded-count">
              {t('insight.recorded.count', { count: list.length, open })}
            </p>
            <ul class="ins-finding-list">
              {list.map((finding) => (
                <RecordedItem key={finding.id} finding={finding} lang={lang} canDiscuss={canDiscuss} onMark={() => setMarking(finding)} />
              ))}
            </ul>
          </>
        )
      ) : null}
      <Dialog open={marking !== null} title={t('insight.recorded.dialog_title')} onClose={() => setMarking(null)} testId="insight-discuss-dialog">
        {marking ? (
          <DiscussForm
            finding={marking}
            lang={lang}
            onCancel={() => setMarking(null)}
            onDone={(updated) => {
              setList((current) => (current ? current.map((f) => (f.id === updated.id ? updated : f)) : current));
              setMarking(null);
            }}
          />
        ) : null}
      </Dialog>
    </Section>
  );
}

function RecordedItem({ finding, lang, canDiscuss, onMark }: { finding: RecordedFinding; lang: Lang; canDiscuss: boolean; onMark: () => void }) {
  const discussed = finding.discussed;
  return (
    <li
      class={discussed ? 'ins-finding ins-finding-discussed' : 'ins-finding'}
      data-testid="insight-recorded-finding"
      data-id={finding.id}
      data-code={finding.code}
      data-discussed={discussed ? 'true' : 'false'}
    >
      <FindingBody finding={finding}>
        <p class="ins-finding-meta">
          <span>{t('insight.recorded.found_at', { time: formatDateTimeShort(finding.found_at, lang) })}</span>
          <span>{t('insight.recorded.period', { from: formatDay(finding.from, lang, { year: true }), to: formatDay(finding.to, lang, { year: true }) })}</span>
        </p>
      </FindingBody>
      {discussed ? (
        <div class="ins-discussed" data-testid="insight-discussed">
          <p class="ins-discussed-head">
            <span class="badge badge-ok">{t('insight.recorded.discussed')}</span>
            <span data-testid="insight-discussed-by">
              {t('insight.recorded.discussed_by', { name: discussed.by, time: formatDateTimeShort(discussed.at, lang) })}
            </span>
          </p>
          <p class="ins-discussed-note" data-testid="insight-discussed-note">
            {discussed.note}
          </p>
        </div>
      ) : (
        <div class="ins-undiscussed">
          <span class="badge badge-warning">{t('insight.recorded.open')}</span>
          {canDiscuss ? (
            <button type="button" class="button button-secondary no-print" onClick={onMark} data-testid="insight-discuss-open">
              {t('insight.recorded.mark')}
            </button>
          ) : null}
        </div>
      )}
    </li>
  );
}

type NoteProblem = 'required' | 'too_long' | null;

function noteProblem(note: string): NoteProblem {
  if (!note.trim()) return 'required';
  return [...note.trim()].length > DISCUSSION_NOTE_MAX ? 'too_long' : null;
}

function DiscussForm({
  finding,
  lang,
  onCancel,
  onDone,
}: {
  finding: RecordedFinding;
  lang: Lang;
  onCancel: () => void;
  onDone: (finding: RecordedFinding) => void;
}) {
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<NoteProblem>(null);
  const { submit, busy, error } = useSubmit(async () => {
    const found = noteProblem(note);
    setProblem(found);
    if (found) {
      document.getElementById('ins-note')?.focus();
      return;
    }
    onDone(await markDiscussed(finding.id, note.trim()));
  });
  const noteError = problem ?? (error?.status === 400 && error.field === 'note' ? 'server' : null);
  const length = [...note.trim()].length;
  return (
    <form class="form ins-discuss-form" onSubmit={submit} noValidate data-testid="insight-discuss-form">
      <p class="ins-discuss-finding" data-testid="insight-discuss-finding">
        {findingText(finding, lang).text}
      </p>
      <div class="field">
        <label for="ins-note">{t('insight.recorded.note')}</label>
        <textarea
          id="ins-note"
          rows={5}
          value={note}
          required
          maxLength={DISCUSSION_NOTE_MAX + 200}
          onInput={(e) => {
            setNote(e.currentTarget.value);
            if (problem) setProblem(null);
          }}
          aria-invalid={noteError ? 'true' : undefined}
          aria-describedby={noteError ? 'ins-note-error' : 'ins-note-hint'}
          data-testid="insight-discuss-note"
        />
        {noteError ? (
          <p id="ins-note-error" class="field-error" data-testid="insight-discuss-note-error">
            {noteError === 'required'
              ? t('insight.recorded.note_required')
              : noteError === 'too_long'
                ? t('insight.recorded.note_too_long', { max: DISCUSSION_NOTE_MAX, count: length })
                : describeError(error as ApiError)}
          </p>
        ) : (
          <p id="ins-note-hint" class="field-hint">
            {t('insight.recorded.note_hint', { max: DISCUSSION_NOTE_MAX, count: length })}
          </p>
        )}
      </div>
      {error && noteError !== 'server' ? (
        <div class="notice notice-error" role="alert" data-testid="insight-discuss-error">
          <p>{error.status === 403 ? t('insight.recorded.forbidden') : describeError(error)}</p>
        </div>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy} data-testid="insight-discuss-submit">
          {busy ? t('insight.recorded.saving') : t('insight.recorded.submit')}
        </button>
        <button type="button" class="button button-quiet" onClick={onCancel} data-testid="insight-discuss-cancel">
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
