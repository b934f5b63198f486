import { useState } from 'preact/hooks';
import { deregisterPatient, listConsents, recordConsent, withdrawConsent, type ConsentInput, type Patient } from '../api/carenet';
import { formatDateTimeShort } from '../common/format';
import { t, useLang } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { ResourceView } from '../components/resource_view';
import { ConsentFields, emptyConsent } from './consent_fields';

/** 同意: the consents to share, newest first; record a new one, withdraw the current one. */
export function ConsentsTab({ patient, canDeregister, onChanged }: { patient: Patient; canDeregister: boolean; onChanged: () => void }) {
  const lang = useLang();
  const id = patient.person.id;
  const [consents, reload] = useResource((signal) => listConsents(id, signal), [id]);
  const [consent, setConsent] = useState<ConsentInput>(emptyConsent);
  const [recorded, setRecorded] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const record = useSubmit(async () => {
    setRecorded(false);
    await recordConsent(id, { ...consent, given_by: consent.given_by.trim() });
    setConsent(emptyConsent());
    setRecorded(true);
    reload();
    onChanged();
  });
  const [reason, setReason] = useState('');
  const [deregistered, setDeregistered] = useState(false);
  const deregister = useSubmit(async () => {
    await deregisterPatient(id, reason.trim());
    setDeregistered(true);
  });
  const withdraw = useSubmit(async () => {
    await withdrawConsent(id);
    setConfirming(false);
    reload();
    onChanged();
  });

  return (
    <div class="cn-consents" data-testid="consents">
      <ResourceView resource={consents} onRetry={reload}>
        {(list) => {
          const current = list.find((c) => !c.withdrawn_at) ?? null;
          return (
            <>
              {current ? null : (
                <div class="notice notice-warning" role="status" data-testid="consent-none">
                  <p>{t('carenet.patient.no_consent')}</p>
                </div>
              )}
              {list.length === 0 ? (
                <p class="empty">{t('carenet.consent.empty')}</p>
              ) : (
                <ol class="cn-consent-list" data-testid="consent-list">
                  {list.map((c) => (
                    <li
                      key={c.id}
                      class={c === current ? 'card cn-consent cn-consent-current' : 'card cn-consent'}
                      data-testid="consent"
                      data-current={c === current ? 'true' : 'false'}
                      data-withdrawn={c.withdrawn_at ? 'true' : 'false'}
                    >
                      <p class="cn-consent-head">
                        {c === current ? <span class="badge badge-ok">{t('carenet.consent.current')}</span> : null}
                        {c.withdrawn_at ? (
                          <span class="badge badge-outcome-denied">
                            {t('carenet.consent.withdrawn', { time: formatDateTimeShort(c.withdrawn_at, lang) })}
                          </span>
                        ) : null}
                        {c !== current && !c.withdrawn_at ? <span class="badge badge-muted">{t('carenet.consent.replaced')}</span> : null}
                      </p>
                      <dl class="cn-fields">
                        <div>
                          <dt>{t('carenet.consent.given_by')}</dt>
                          <dd data-testid="consent-given-by">
                            {c.given_by}（{t(`carenet.consent.relationship.${c.relationship}`)}）
                          </dd>
                        </div>
                        <div>
                          <dt>{t('carenet.consent.given_on')}</dt>
                          <dd>{c.given_on}</dd>
                        </div>
                        <div>
                          <dt>{t('carenet.consent.scope')}</dt>
                          <dd>{t(`carenet.consent.scope.${c.scope}`)}</dd>
                        </div>
                        <div>
                          <dt>{t('carenet.consent.recorded')}</dt>
                          <dd>
                            {c.recorded_by.name}　{formatDateTimeShort(c.recorded_at, lang)}
                          </dd>
                        </div>
                      </dl>
                      {c === current ? (
                        <div class="cn-entry-actions">
                          {confirming ? (
                            <>
                              <p class="notice notice-warning">{t('carenet.consent.withdraw_question')}</p>
                              <button type="button" class="button button-danger button-small" disabled={withdraw.busy} onClick={(e) => void withdraw.submit(e)} data-testid="consent-withdraw-confirm">
                                {t('carenet.consent.withdraw_confirm')}
                              </button>
                              <button type="button" class="button button-quiet button-small" onClick={() => setConfirming(false)}>
                                {t('common.cancel')}
                              </button>
                            </>
                          ) : (
                            <button type="button" class="button button-quiet button-small" onClick={() => setConfirming(true)} data-testid="consent-withdraw">
                              {t('carenet.consent.withdraw')}
                            </button>
                          )}
                          {withdraw.error ? (
                            <p class="notice notice-error" role="alert">
                              {describeError(withdraw.error)}
                            </p>
                          ) : null}
                        </div>
                      ) : null}
                    </li>
                  ))}
                </ol>
              )}
            </>
          );
        }}
      </ResourceView>
      <form class="card form cn-form" onSubmit={record.submit} aria-labelledby="consent-title" data-testid="consent-form">
        <h2 id="consent-title" class="section-title">
          {t('carenet.consent.record_title')}
        </h2>
        <p class="field-hint">{t('carenet.consent.record_hint')}</p>
        <ConsentFields prefix="consent" consent={consent} onConsent={setConsent} invalidField={record.error?.field} />
        <div aria-live="polite">
          {recorded ? (
            <p class="notice notice-success" data-testid="consent-recorded">
              {t('carenet.consent.recorded_done')}
            </p>
          ) : null}
          {record.error ? (
            <p class="notice notice-error" role="alert" data-testid="consent-error">
              {describeError(record.error)}
            </p>
          ) : null}
        </div>
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={record.busy || !consent.given_by.trim() || !consent.given_on} data-testid="consent-submit">
            {t('carenet.consent.record')}
          </button>
        </div>
      </form>
      {canDeregister ? (
        <form class="card form cn-form" onSubmit={deregister.submit} aria-labelledby="deregister-title" data-testid="deregister-form">
          <h2 id="deregister-title" class="section-title">
            {t('carenet.deregister.title')}
          </h2>
          <p class="field-hint">{t('carenet.deregister.hint')}</p>
          {deregistered ? (
            <p class="notice notice-success" role="status" data-testid="deregister-done">
              {t('carenet.deregister.done')}
            </p>
          ) : (
            <>
              <div class="field">
                <label for="deregister-reason">{t('carenet.deregister.reason')}</label>
                <input
                  id="deregister-reason"
                  type="text"
                  maxLength={500}
                  required
                  value={reason}
                  onInput={(e) => setReason(e.currentTarget.value)}
                  data-testid="deregister-reason"
                />
              </div>
              {deregister.error ? (
                <p class="notice notice-error" role="alert">
                  {describeError(deregister.error)}
                </p>
              ) : null}
              <div class="form-actions">
                <button type="submit" class="button button-danger" disabled={deregister.busy || !reason.trim()} data-testid="deregister-submit">
                  {t('carenet.deregister.submit')}
                </button>
              </div>
            </>
          )}
        </form>
      ) : null}
    </div>
  );
}
