import { CONSENT_RELATIONSHIPS, CONSENT_SCOPES, type ConsentInput } from '../api/carenet';
import { t } from '../common/i18n';
import { InputField, SelectField } from '../components/form_field';

/** Today in Japan as YYYY-MM-DD (the default date of a consent). */
export function todayInJapan(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export function emptyConsent(): ConsentInput {
  return { given_by: t('carenet.consent.self_default'), relationship: 'self', given_on: todayInJapan(), scope: 'care_team' };
}

/** The fields of a consent to share: who gave it, how they are related, when, for whom. */
export function ConsentFields({
  prefix,
  consent,
  onConsent,
  invalidField,
}: {
  prefix: string;
  consent: ConsentInput;
  onConsent: (consent: ConsentInput) => void;
  /** The server's `field` of a 400, e.g. "consent.given_on" or "given_on". */
  invalidField?: string | null;
}) {
  const invalid = (name: string) =>
    invalidField && (invalidField === name || invalidField.endsWith(`.${name}`)) ? { 'aria-invalid': true } : {};
  return (
    <div class="form-grid">
      <SelectField
        id={`${prefix}-relationship`}
        label={t('carenet.consent.relationship')}
        value={consent.relationship}
        onValue={(value) => {
          const relationship = value as ConsentInput['relationship'];
          // "本人" only makes sense for the patient themselves.
          const givenBy =
            relationship !== 'self' && consent.given_by === t('carenet.consent.self_default')
              ? ''
              : relationship === 'self' && !consent.given_by
                ? t('carenet.consent.self_default')
                : consent.given_by;
          onConsent({ ...consent, relationship, given_by: givenBy });
        }}
        data-testid={`${prefix}-relationship`}
        {...invalid('relationship')}
      >
        {CONSENT_RELATIONSHIPS.map((r) => (
          <option key={r} value={r}>
            {t(`carenet.consent.relationship.${r}`)}
          </option>
        ))}
      </SelectField>
      <InputField
        id={`${prefix}-given-by`}
        label={t('carenet.consent.given_by')}
        hint={t('carenet.consent.given_by_hint')}
        value={consent.given_by}
        onValue={(given_by) => onConsent({ ...consent, given_by })}
        required
        autocomplete="off"
        data-testid={`${prefix}-given-by`}
        {...invalid('given_by')}
      />
      <InputField
        id={`${prefix}-given-on`}
        label={t('carenet.consent.given_on')}
        type="date"
        value={consent.given_on}
        onValue={(given_on) => onConsent({ ...consent, given_on })}
        required
        data-testid={`${prefix}-given-on`}
        {...invalid('given_on')}
      />
      <SelectField
        id={`${prefix}-scope`}
        label={t('carenet.consent.scope')}
        value={consent.scope}
        onValue={(scope) => onConsent({ ...consent, scope: scope as ConsentInput['scope'] })}
        data-testid={`${prefix}-scope`}
        {...invalid('scope')}
      >
        {CONSENT_SCOPES.map((s) => (
          <option key={s} value={s}>
            {t(`carenet.consent.scope.${s}`)}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
