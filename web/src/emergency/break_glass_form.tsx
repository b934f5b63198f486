import { useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import { getGrantReasons, openGrant, type GrantReason } from '../api/emergency';
import { t, useLang } from '../common/i18n';
import { navigate } from '../common/router';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { Dialog } from '../components/dialog';
import { describeError } from '../components/error_message';
import { ResourceView } from '../components/resource_view';

interface Props {
  person: number;
  /** The fridge kit's code when the person was found by its QR code. */
  kit?: string;
  onGranted: (grant: { grant: string; expires_at: string; person: number }) => void;
  onCancel?: () => void;
}

type Field = 'reason' | 'note';

/**
 * 緊急時アクセス: a reason from the server's list and a note of the situation, under a warning
 * that the access is recorded and the care team and the city are told.
 */
export function BreakGlassForm({ person, kit, onGranted, onCancel }: Props) {
  const lang = useLang();
  const [reasons, reload] = useResource((signal) => getGrantReasons(signal), []);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState<Field | null>(null);
  const { submit, busy, error } = useSubmit(async () => {
    const empty: Field | null = !reason ? 'reason' : !note.trim() ? 'note' : null;
    setMissing(empty);
    if (empty) {
      document.getElementById(empty === 'reason' ? 'bg-reason-0' : 'bg-note')?.focus();
      return;
    }
    onGranted(await openGrant({ person, reason, note: note.trim(), ...(kit ? { kit } : {}) }));
  });
  const invalid: Field | null = missing ?? fieldOf(error);

  return (
    <ResourceView resource={reasons} onRetry={reload}>
      {({ reasons: list, grant_minutes }) => (
        <form class="form em-break-glass" onSubmit={submit} noValidate data-testid="break-glass-form">
          <div class="notice notice-warning em-warning" role="note" data-testid="break-glass-warning">
            <p>
              <strong>{t('emergency.grant.warning_title')}</strong>
            </p>
            <p>{t('emergency.grant.warning', { minutes: grant_minutes })}</p>
          </div>
          <fieldset class="em-reasons" aria-describedby={invalid === 'reason' ? 'bg-reason-error' : undefined}>
            <legend>{t('emergency.grant.reason')}</legend>
            {list.map((r: GrantReason, i) => (
              <label key={r.code} class="em-reason" data-testid="break-glass-reason">
                <input
                  id={`bg-reason-${i}`}
                  type="radio"
                  name="bg-reason"
                  value={r.code}
                  checked={reason === r.code}
                  onChange={() => {
                    setReason(r.code);
                    if (missing === 'reason') setMissing(null);
                  }}
                  aria-invalid={invalid === 'reason' ? 'true' : undefined}
                  data-code={r.code}
                />
                <span>{r.label[lang] || r.label.ja || r.code}</span>
              </label>
            ))}
            {invalid === 'reason' ? (
              <p id="bg-reason-error" class="field-error" data-testid="break-glass-reason-error">
                {missing === 'reason' ? t('emergency.grant.reason_required') : describeError(error!)}
              </p>
            ) : null}
          </fieldset>
          <div class="field">
            <label for="bg-note">{t('emergency.grant.note')}</label>
            <textarea
              id="bg-note"
              rows={3}
              value={note}
              required
              onInput={(e) => {
                setNote(e.currentTarget.value);
                if (missing === 'note') setMissing(null);
              }}
              placeholder={t('emergency.grant.note_placeholder')}
              aria-invalid={invalid === 'note' ? 'true' : undefined}
              aria-describedby={invalid === 'note' ? 'bg-note-error' : 'bg-note-hint'}
              data-testid="break-glass-note"
            />
            {invalid === 'note' ? (
              <p id="bg-note-error" class="field-error" data-testid="break-glass-note-error">
                {missing === 'note' ? t('emergency.grant.note_required') : describeError(error!)}
              </p>
            ) : (
              <p id="bg-note-hint" class="field-hint">
                {t('emergency.grant.note_hint')}
              </p>
            )}
          </div>
          {error && !fieldOf(error) ? (
            <div class="notice notice-error" role="alert" data-testid="break-glass-error">
              <p>{grantErrorText(error)}</p>
            </div>
          ) : null}
          <div class="form-actions">
            <button type="submit" class="button button-danger em-open-button" disabled={busy} data-testid="break-glass-submit">
              {busy ? t('emergency.grant.opening') : t('emergency.grant.submit')}
            </button>
            {onCancel ? (
              <button type="button" class="button button-quiet" onClick={onCancel} data-testid="break-glass-cancel">
                {t('common.cancel')}
              </button>
            ) : null}
          </div>
        </form>
      )}
    </ResourceView>
  );
}

function fieldOf(error: ApiError | null): Field | null {
  if (!error || error.status !== 400) return null;
  return error.field === 'reason' || error.field === 'note' ? error.field : null;
}

function grantErrorText(error: ApiError): string {
  if (error.status === 403) return t('emergency.grant.forbidden');
  return describeError(error);
}

/** The break-glass form in a dialog, with who it is about; opening it goes to the sheet unless `onGranted` says otherwise. */
export function BreakGlassDialog({
  person,
  onClose,
  onGranted = (person) => navigate(`/emergency/persons/${person}`),
}: {
  person: { id: number; name?: string; kana?: string } | null;
  onClose: () => void;
  onGranted?: (person: number) => void;
}) {
  return (
    <Dialog open={person !== null} title={t('emergency.grant.title')} onClose={onClose} testId="break-glass">
      {person ? (
        <>
          {person.name ? (
            <p class="em-dialog-person" data-testid="break-glass-person">
              <span class="em-dialog-name">{person.name}</span>
              {person.kana ? <span class="cell-sub">{person.kana}</span> : null}
            </p>
          ) : null}
          <BreakGlassForm person={person.id} onCancel={onClose} onGranted={(grant) => onGranted(grant.person)} />
        </>
      ) : null}
    </Dialog>
  );
}
