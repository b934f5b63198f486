import { useState } from 'preact/hooks';
import type { User } from '../api/auth';
import { registerPatient, type CareUser, type ConsentInput } from '../api/carenet';
import type { Person } from '../api/persons';
import { formatBirthDate } from '../common/format';
import { t, useLang } from '../common/i18n';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { ConsentFields, emptyConsent } from './consent_fields';
import { PersonPicker, ProfessionalPicker, UserLabel } from './parts';

const NOBODY: ReadonlySet<number> = new Set();

/** Registers a resident as a patient of the care network, with their recorded consent to share. */
export function RegisterPatientForm({ user, onRegistered }: { user: User; onRegistered: (person: number) => void }) {
  const lang = useLang();
  const [person, setPerson] = useState<Person | null>(null);
  const [consent, setConsent] = useState<ConsentInput>(emptyConsent);
  const [lead, setLead] = useState<CareUser | null>(null);
  // An admin is not on care teams: someone else leads.
  const needsLead = user.role === 'admin';

  const { submit, busy, error } = useSubmit(async () => {
    if (!person) return;
    const patient = await registerPatient({
      person: person.id,
      consent: { ...consent, given_by: consent.given_by.trim() },
      ...(lead ? { lead: lead.id } : {}),
    });
    onRegistered(patient.person?.id ?? person.id);
  });

  return (
    <form id="register-patient" class="card form cn-form" onSubmit={submit} aria-labelledby="register-title" data-testid="register-form">
      <h2 id="register-title" class="section-title">
        {t('carenet.register.title')}
      </h2>
      <p class="field-hint">{t('carenet.register.lead')}</p>
      {error ? (
        <div class="notice notice-error" role="alert" data-testid="register-error">
          <p>{error.code === 'already_registered' ? t('carenet.register.already') : describeError(error)}</p>
        </div>
      ) : null}
      <fieldset class="cn-fieldset">
        <legend>{t('carenet.register.person')}</legend>
        {person ? (
          <div class="cn-picked-person" data-testid="register-person">
            <p>
              <span class="cell-strong">{person.name}</span>
              <span class="cell-sub">
                {person.kana}　{formatBirthDate(person.birth_date, lang)}　{person.address}
              </span>
            </p>
            <button type="button" class="button button-quiet" onClick={() => setPerson(null)} data-testid="register-person-change">
              {t('watch.admin.person_change')}
            </button>
          </div>
        ) : (
          <PersonPicker id="register-person-search" onPick={setPerson} />
        )}
      </fieldset>
      <fieldset class="cn-fieldset">
        <legend>{t('carenet.register.consent')}</legend>
        <p class="field-hint">{t('carenet.register.consent_hint')}</p>
        <ConsentFields prefix="register-consent" consent={consent} onConsent={setConsent} invalidField={error?.field} />
      </fieldset>
      <fieldset class="cn-fieldset">
        <legend>{needsLead ? t('carenet.register.lead_required') : t('carenet.register.lead_optional')}</legend>
        {lead ? (
          <div class="cn-picked-person" data-testid="register-lead">
            <UserLabel user={lead} />
            <button type="button" class="button button-quiet" onClick={() => setLead(null)}>
              {t('carenet.register.lead_change')}
            </button>
          </div>
        ) : (
          <>
            {!needsLead ? <p class="field-hint">{t('carenet.register.lead_hint')}</p> : null}
            <ProfessionalPicker id="register-lead-search" label={t('carenet.register.lead_search')} action={t('carenet.register.lead_pick')} exclude={NOBODY} onPick={setLead} />
          </>
        )}
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy || !person || (needsLead && !lead)} data-testid="register-submit">
          {t('carenet.register.submit')}
        </button>
        {!person ? <span class="field-hint">{t('watch.admin.person_first')}</span> : null}
      </div>
    </form>
  );
}
