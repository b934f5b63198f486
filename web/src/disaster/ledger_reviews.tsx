// 確認待ちの記録 on the ledger page: each record that only looks like someone already registered,
// side by side with that person, and the three ways to settle it (the same person, a different
// person, not imported), each asked once more before it is done.
import { useState } from 'preact/hooks';
import { settleReview, listReviews, type LedgerReport, type ReviewDecision, type StoredReview } from '../api/disaster_ledger';
import { getPerson, type Person } from '../api/persons';
import { formatBirthDate } from '../common/format';
import { t, tOptional, useLang } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { ConfirmBox } from '../components/confirm_box';
import { describeError } from '../components/error_message';
import { ErrorMessage } from '../components/error_message';

const DECISIONS: ReviewDecision[] = ['link', 'create', 'dismiss'];

/** The waiting records, read again after each import that wrote something. */
export function ReviewList({ imported }: { imported: LedgerReport | null }) {
  const lang = useLang();
  const [resource, reload] = useResource((signal) => listReviews(signal), [imported]);
  const [settled, setSettled] = useState<{ name: string; decision: ReviewDecision }[]>([]);
  const [gone, setGone] = useState<Set<number>>(new Set());
  const shown = resource.state === 'ok' ? resource.data.filter((r) => !gone.has(r.id)) : [];
  return (
    <section class="card lg-section" aria-labelledby="dz-review-title" data-testid="review-list">
      <h2 id="dz-review-title" class="lg-section-title">
        {t('disaster.review.title')}
      </h2>
      {settled.map((s, i) => (
        <p key={i} class="notice notice-success" role="status" data-testid="review-settled">
          {t('disaster.review.done', { name: s.name, action: t(`disaster.review.${s.decision}`) })}
        </p>
      ))}
      {resource.state === 'error' ? <ErrorMessage error={resource.error} onRetry={reload} /> : null}
      {resource.state === 'ok' && shown.length === 0 ? <p class="field-hint">{t('disaster.review.none')}</p> : null}
      <ul class="plain-list dz-review-list">
        {shown.map((review) => (
          <ReviewItem
            key={review.id}
            review={review}
            lang={lang}
            onSettled={(decision) => {
              setGone((prev) => new Set(prev).add(review.id));
              setSettled((prev) => [...prev, { name: review.name, decision }]);
            }}
          />
        ))}
      </ul>
    </section>
  );
}

function Side({ title, rows, testId }: { title: string; rows: [string, string, boolean][]; testId: string }) {
  return (
    <div class="dz-review-side" data-testid={testId}>
      <h3 class="dz-card-title">{title}</h3>
      <dl>
        {rows.map(([name, value, different]) => (
          <div key={name} class="dz-review-row">
            <dt>{name}</dt>
            <dd class={different ? 'is-different' : undefined}>{value || '—'}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function ReviewItem({ review, lang, onSettled }: { review: StoredReview; lang: 'ja' | 'en'; onSettled: (decision: ReviewDecision) => void }) {
  const [person] = useResource((signal) => (review.candidate_person_id === null ? Promise.resolve(null) : getPerson(review.candidate_person_id, signal)), [review.candidate_person_id]);
  const [asking, setAsking] = useState<ReviewDecision | null>(null);
  const settle = useSubmit(async () => {
    if (!asking) return;
    await settleReview(review.id, asking);
    onSettled(asking);
  });
  const candidate: Person | null = person.state === 'ok' ? person.data : null;
  const address = typeof review.record?.address === 'string' ? review.record.address : '';
  const birth = (value: string | null | undefined) => (value ? formatBirthDate(value, lang) : '');
  const error = settle.error;
  return (
    <li class="dz-review" data-testid="review" data-review={review.id} data-reason={review.reason}>
      <p>
        <span class="badge badge-warning" data-testid="review-reason">
          {tOptional(`ledger.review.reason.${review.reason}`, review.reason)}
        </span>
      </p>
      <div class="dz-review-sides">
        <Side
          title={t('disaster.review.record', { row: review.row })}
          testId="review-record"
          rows={[
            [t('ledger.review.name'), review.name, candidate !== null && candidate.name !== review.name],
            [t('ledger.review.kana'), review.kana, candidate !== null && candidate.kana !== review.kana],
            [t('ledger.review.birth_date'), birth(review.birth_date), candidate !== null && candidate.birth_date !== review.birth_date],
            [t('disaster.review.address'), address, false],
            [t('disaster.review.resident_number'), review.resident_number, false],
          ]}
        />
        {candidate ? (
          <Side
            title={t('disaster.review.candidate')}
            testId="review-candidate"
            rows={[
              [t('ledger.review.name'), candidate.name, candidate.name !== review.name],
              [t('ledger.review.kana'), candidate.kana, candidate.kana !== review.kana],
              [t('ledger.review.birth_date'), birth(candidate.birth_date), candidate.birth_date !== review.birth_date],
              [t('disaster.review.address'), candidate.address, false],
            ]}
          />
        ) : person.state === 'error' ? (
          <ErrorMessage error={person.error} />
        ) : review.candidate_person_id === null ? (
          <p class="field-hint">{t('disaster.review.no_candidate')}</p>
        ) : null}
      </div>
      {asking ? (
        <ConfirmBox
          className="notice notice-warning"
          label={t(`disaster.review.${asking}`)}
          question={t('disaster.review.confirm', { action: t(`disaster.review.${asking}`) })}
          confirmLabel={t('disaster.review.yes')}
          busy={settle.busy}
          onConfirm={(e) => void settle.submit(e)}
          onCancel={() => {
            setAsking(null);
            settle.setError(null);
          }}
          testId={{ box: 'review-confirm-box', confirm: 'review-confirm' }}
        >
          {error ? (
            <p class="notice notice-error" role="alert" data-testid="review-error" data-code={error.code}>
              {error.status === 409 ? tOptional(`disaster.review.error.${error.code}`, describeError(error)) : describeError(error)}
            </p>
          ) : null}
        </ConfirmBox>
      ) : (
        <div class="dz-review-actions">
          {DECISIONS.map((d) => (
            <button
              key={d}
              type="button"
              class={d === 'link' ? 'button button-primary' : 'button button-secondary'}
              disabled={d === 'link' && review.candidate_person_id === null}
              onClick={() => setAsking(d)}
              data-testid={`review-${d}`}
            >
              {t(`disaster.review.${d}`)}
            </button>
          ))}
        </div>
      )}
    </li>
  );
}
