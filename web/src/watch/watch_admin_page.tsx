import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import { listPersons, type Person } from '../api/persons';
import {
  addDevice,
  CONTACT_KINDS,
  createHousehold,
  revokeDevice,
  type DeviceCredential,
  type HouseholdContact,
} from '../api/watch';
import { t, useLang } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { InputField, SelectField } from '../components/form_field';
import { Link } from '../components/link';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import './watch.css';

const TYPING_PAUSE_MS = 300;
const MAX_CONTACTS = 10;

/** Server error codes of these forms that have their own sentence. */
const KNOWN_ERRORS = ['household_exists', 'unknown_person', 'not_found'] as const;

function errorText(error: ApiError): string {
  const code = KNOWN_ERRORS.find((known) => known === error.code);
  return code ? t(`watch.admin.error.${code}`) : describeError(error);
}

function ErrorBox({ error, id, testId }: { error: ApiError; id: string; testId: string }) {
  return (
    <div id={id} class="notice notice-error" role="alert" data-testid={testId}>
      <p>{errorText(error)}</p>
    </div>
  );
}

/** Households (resident, contacts in call order, plan) and their sensor devices. */
export function WatchAdminPage() {
  useLang();
  const [deviceHousehold, setDeviceHousehold] = useState('');
  return (
    <Page title={t('watch.admin.title')} lead={t('watch.admin.lead')} testId="watch-admin">
      <p>
        <Link href="/watch" class="button button-quiet" data-testid="watch-admin-back">
          {t('watch.admin.back')}
        </Link>
      </p>
      <HouseholdForm onCreated={(id) => setDeviceHousehold(String(id))} />
      <DeviceForm household={deviceHousehold} onHousehold={setDeviceHousehold} />
      <RevokeForm />
    </Page>
  );
}

const EMPTY_CONTACT: HouseholdContact = { kind: 'family', name: '', relationship: '', phone: '' };

function HouseholdForm({ onCreated }: { onCreated: (id: number) => void }) {
  const [person, setPerson] = useState<Person | null>(null);
  const [contacts, setContacts] = useState<HouseholdContact[]>([{ ...EMPTY_CONTACT }]);
  const [plan, setPlan] = useState({ name: '', monthly_yen: '', started_on: '' });
  const [created, setCreated] = useState<{ id: number; name: string } | null>(null);

  const { submit, busy, error } = useSubmit(async () => {
    if (!person) return;
    const yen = plan.monthly_yen.trim();
    const household = await createHousehold({
      person: person.id,
      // Rows left completely empty are not contacts.
      contacts: contacts
        .map((c) => ({ ...c, name: c.name.trim(), relationship: c.relationship.trim(), phone: c.phone.trim() }))
        .filter((c) => c.name || c.relationship || c.phone),
      plan: { name: plan.name.trim(), monthly_yen: yen ? Number(yen) : null, started_on: plan.started_on || null },
    });
    setCreated({ id: household.id, name: person.name });
    setPerson(null);
    setContacts([{ ...EMPTY_CONTACT }]);
    setPlan({ name: '', monthly_yen: '', started_on: '' });
    onCreated(household.id);
  });

  const invalid = (field: string) =>
    error && error.field === field ? { 'aria-invalid': true, 'aria-describedby': 'household-error' } : {};
  const setContact = (index: number, change: Partial<HouseholdContact>) =>
    setContacts(contacts.map((c, i) => (i === index ? { ...c, ...change } : c)));

  return (
    <form class="card form watch-admin-form" onSubmit={submit} aria-labelledby="household-title" data-testid="household-form">
      <h2 id="household-title" class="form-title">
        {t('watch.admin.household_title')}
      </h2>
      <div aria-live="polite">
        {created ? (
          <div class="notice notice-success" data-testid="household-created">
            <p>{t('watch.admin.household_created', { name: created.name, id: created.id })}</p>
          </div>
        ) : null}
      </div>
      {error ? <ErrorBox error={error} id="household-error" testId="household-error" /> : null}

      <fieldset class="watch-fieldset">
        <legend>{t('watch.admin.person')}</legend>
        {person ? (
          <div class="watch-picked" data-testid="household-person">
            <p>
              <span class="cell-strong">{person.name}</span>
              <span class="cell-sub">
                {person.kana}　{person.address}
              </span>
            </p>
            <button type="button" class="button button-quiet" onClick={() => setPerson(null)} data-testid="household-person-change">
              {t('watch.admin.person_change')}
            </button>
          </div>
        ) : (
          <PersonPicker onPick={setPerson} invalid={invalid('person')} />
        )}
      </fieldset>

      <fieldset class="watch-fieldset">
        <legend>{t('watch.admin.contacts')}</legend>
        <p class="field-hint">{t('watch.admin.contacts_hint')}</p>
        <ol class="watch-contacts">
          {contacts.map((contact, index) => (
            <li key={index} class="watch-contact" data-testid="household-contact">
              <span class="watch-contact-order">{t('watch.admin.contact_order', { n: index + 1 })}</span>
              <div class="form-grid">
                <SelectField
                  id={`contact-${index}-kind`}
                  label={t('watch.admin.contact_kind')}
                  value={contact.kind}
                  onValue={(kind) => setContact(index, { kind: kind as HouseholdContact['kind'] })}
                  data-testid="contact-kind"
                  {...invalid(`contacts[${index}].kind`)}
                >
                  {CONTACT_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {t(`watch.admin.contact_kind.${kind}`)}
                    </option>
                  ))}
                </SelectField>
                <InputField
                  id={`contact-${index}-name`}
                  label={t('watch.admin.contact_name')}
                  value={contact.name}
                  onValue={(name) => setContact(index, { name })}
                  autocomplete="off"
                  data-testid="contact-name"
                  {...invalid(`contacts[${index}].name`)}
                />
                <InputField
                  id={`contact-${index}-relationship`}
                  label={t('watch.admin.contact_relationship')}
                  value={contact.relationship}
                  onValue={(relationship) => setContact(index, { relationship })}
                  autocomplete="off"
                  data-testid="contact-relationship"
                  {...invalid(`contacts[${index}].relationship`)}
                />
                <InputField
                  id={`contact-${index}-phone`}
                  label={t('watch.admin.contact_phone')}
                  type="tel"
                  value={contact.phone}
                  onValue={(phone) => setContact(index, { phone })}
                  autocomplete="off"
                  data-testid="contact-phone"
                  {...invalid(`contacts[${index}].phone`)}
                />
              </div>
              {contacts.length > 1 ? (
                <button
                  type="button"
                  class="button button-quiet button-small"
                  onClick={() => setContacts(contacts.filter((_, i) => i !== index))}
                  data-testid="contact-remove"
                >
                  {t('watch.admin.contact_remove', { n: index + 1 })}
                </button>
              ) : null}
            </li>
          ))}
        </ol>
        {contacts.length < MAX_CONTACTS ? (
          <button
            type="button"
            class="button button-secondary"
            onClick={() => setContacts([...contacts, { ...EMPTY_CONTACT }])}
            data-testid="contact-add"
          >
            {t('watch.admin.contact_add')}
          </button>
        ) : null}
      </fieldset>

      <fieldset class="watch-fieldset">
        <legend>{t('watch.admin.plan')}</legend>
        <div class="form-grid">
          <InputField
            id="plan-name"
            label={t('watch.admin.plan_name')}
            value={plan.name}
            onValue={(name) => setPlan({ ...plan, name })}
            autocomplete="off"
            data-testid="plan-name"
            {...invalid('plan_name')}
          />
          <InputField
            id="plan-yen"
            label={t('watch.admin.plan_yen')}
            type="number"
            inputMode="numeric"
            min={0}
            max={1000000}
            value={plan.monthly_yen}
            onValue={(monthly_yen) => setPlan({ ...plan, monthly_yen })}
            data-testid="plan-yen"
            {...invalid('plan_monthly_yen')}
          />
          <InputField
            id="plan-started"
            label={t('watch.admin.plan_started')}
            type="date"
            value={plan.started_on}
            onValue={(started_on) => setPlan({ ...plan, started_on })}
            data-testid="plan-started"
            {...invalid('plan_started_on')}
          />
        </div>
      </fieldset>

      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy || !person} data-testid="household-submit">
          {t('watch.admin.household_submit')}
        </button>
        {!person ? <span class="field-hint">{t('watch.admin.person_first')}</span> : null}
      </div>
    </form>
  );
}

/** Search the register and pick the resident the household belongs to. */
function PersonPicker({ onPick, invalid }: { onPick: (person: Person) => void; invalid: Record<string, unknown> }) {
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(text.trim()), TYPING_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);
  const [persons] = useResource((signal) => (query ? listPersons(query, signal) : Promise.resolve(null)), [query]);

  return (
    <div class="watch-person-picker">
      <InputField
        id="household-person-search"
        label={t('watch.admin.person_search')}
        type="search"
        value={text}
        onValue={setText}
        placeholder={t('persons.search_placeholder')}
        autocomplete="off"
        data-testid="household-person-search"
        {...invalid}
      />
      {persons.state === 'loading' ? <Loading /> : null}
      {persons.state === 'error' ? <p class="notice notice-error">{describeError(persons.error)}</p> : null}
      {persons.state === 'ok' && persons.data ? (
        persons.data.length === 0 ? (
          <p class="field-hint" data-testid="household-person-none">
            {t('persons.empty')}
          </p>
        ) : (
          <ul class="plain-list watch-person-results" data-testid="household-person-results">
            {persons.data.map((person) => (
              <li key={person.id}>
                <button type="button" class="watch-person-option" onClick={() => onPick(person)} data-testid="household-person-option">
                  <span class="cell-strong">{person.name}</span>
                  <span class="cell-sub">
                    {person.kana}　{person.address}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}

function DeviceForm({ household, onHousehold }: { household: string; onHousehold: (value: string) => void }) {
  const [credential, setCredential] = useState<(DeviceCredential & { household: string }) | null>(null);
  const { submit, busy, error } = useSubmit(async () => {
    const id = household.trim();
    const created = await addDevice(Number(id));
    setCredential({ ...created, household: id });
  });
  return (
    <form class="card form watch-admin-form" onSubmit={submit} aria-labelledby="device-title" data-testid="device-form">
      <h2 id="device-title" class="form-title">
        {t('watch.admin.device_title')}
      </h2>
      <p class="field-hint">{t('watch.admin.device_lead')}</p>
      {error ? <ErrorBox error={error} id="device-error" testId="device-error" /> : null}
      <div aria-live="polite">
        {credential ? (
          <div class="notice notice-warning watch-credential" data-testid="device-credential">
            <p>{t('watch.admin.device_created', { household: credential.household })}</p>
            <dl>
              <dt>{t('watch.admin.device_id')}</dt>
              <dd>
                <code data-testid="device-id">{credential.device}</code>
              </dd>
              <dt>{t('watch.admin.device_token')}</dt>
              <dd>
                <code class="watch-token" data-testid="device-token">
                  {credential.token}
                </code>
              </dd>
            </dl>
            <p class="watch-credential-warning">{t('watch.admin.device_once')}</p>
          </div>
        ) : null}
      </div>
      <div class="watch-inline-form">
        <InputField
          id="device-household"
          label={t('watch.admin.device_household')}
          hint={t('watch.admin.device_household_hint')}
          inputMode="numeric"
          pattern="[0-9]+"
          required
          value={household}
          onValue={onHousehold}
          autocomplete="off"
          data-testid="device-household"
          {...(error ? { 'aria-invalid': true } : {})}
        />
        <button type="submit" class="button button-primary" disabled={busy} data-testid="device-submit">
          {t('watch.admin.device_submit')}
        </button>
      </div>
    </form>
  );
}

function RevokeForm() {
  const [device, setDevice] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [revoked, setRevoked] = useState<string | null>(null);
  const { submit, busy, error, setError } = useSubmit(async () => {
    const id = device.trim();
    if (!confirming) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    await revokeDevice(id);
    setRevoked(id);
    setDevice('');
  });
  return (
    <form class="card form watch-admin-form" onSubmit={submit} aria-labelledby="revoke-title" data-testid="revoke-form">
      <h2 id="revoke-title" class="form-title">
        {t('watch.admin.revoke_title')}
      </h2>
      <p class="field-hint">{t('watch.admin.revoke_lead')}</p>
      <div aria-live="polite">
        {revoked ? (
          <div class="notice notice-success" data-testid="revoke-done">
            <p>{t('watch.admin.revoke_done', { device: revoked })}</p>
          </div>
        ) : null}
      </div>
      {error ? <ErrorBox error={error} id="revoke-error" testId="revoke-error" /> : null}
      <div class="watch-inline-form">
        <InputField
          id="revoke-device"
          label={t('watch.admin.device_id')}
          placeholder="dev-…"
          required
          autocomplete="off"
          autocapitalize="none"
          spellcheck={false}
          value={device}
          onValue={(value) => {
            setDevice(value);
            setConfirming(false);
            setRevoked(null);
            setError(null);
          }}
          data-testid="revoke-device"
          {...(error ? { 'aria-invalid': true, 'aria-describedby': 'revoke-error' } : {})}
        />
        <button type="submit" class={confirming ? 'button button-danger' : 'button button-secondary'} disabled={busy} data-testid="revoke-submit">
          {confirming ? t('watch.admin.revoke_confirm') : t('watch.admin.revoke_submit')}
        </button>
        {confirming ? (
          <button type="button" class="button button-quiet" onClick={() => setConfirming(false)} data-testid="revoke-cancel">
            {t('common.cancel')}
          </button>
        ) : null}
      </div>
      {confirming ? (
        <p class="notice notice-warning" role="alert" data-testid="revoke-question">
          {t('watch.admin.revoke_question', { device: device.trim() })}
        </p>
      ) : null}
    </form>
  );
}
