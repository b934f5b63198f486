import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { endGrant, getSheet, type Acp, type Contact, type EmergencySheet, type SheetLifeRecord, type Transport } from '../api/emergency';
import { formatBirthDate, formatDateTimeShort } from '../common/format';
import { t, tOptional, useLang, type MessageKey } from '../common/i18n';
import { hasPermission, useSession } from '../common/session';
import { useClock } from '../common/use_clock';
import { useResource } from '../common/use_resource';
import { useSubmit } from '../common/use_submit';
import { ConfirmBox } from '../components/confirm_box';
import { describeError, ErrorMessage } from '../components/error_message';
import { Icon } from '../components/icons';
import { Link } from '../components/link';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { PhoneLink } from '../components/phone_link';
import { BreakGlassDialog } from './break_glass_form';
import { byOrder, phonesOf } from './contacts';
import { formatRemaining, formatUntil, remainingMs } from './remaining';
import { TransportForm } from './transport_form';
import './emergency.css';

const CLOCK_TICK_MS = 15_000;

type Closed = 'none' | 'ended' | 'expired';

/**
 * 救急情報シート: what a paramedic needs in the first minute, on one phone screen — who, the
 * advance care plan, allergies, whom to call — then history, prescriptions, the care team and
 * transports. Readable only while a grant is live (403 otherwise, shown as a way to open one).
 */
export function SheetPage({ id }: { id: string }) {
  useLang();
  useClock(CLOCK_TICK_MS);
  const personId = /^\d+$/.test(id) ? Number(id) : NaN;
  const [sheet, reload] = useResource(
    (signal) => (Number.isNaN(personId) ? Promise.reject(new ApiError(403, 'forbidden', 'forbidden')) : getSheet(personId, signal)),
    [personId],
  );
  const [ended, setEnded] = useState(false);
  const [recorded, setRecorded] = useState<Transport[]>([]);
  const reopen = () => {
    setEnded(false);
    setRecorded([]);
    reload();
  };

  if (sheet.state === 'loading') {
    return (
      <Page title={t('emergency.sheet.title')}>
        <Loading />
      </Page>
    );
  }
  if (sheet.state === 'error') {
    // An unknown person is 403 as well: ids cannot be probed.
    if (sheet.error.status === 403 || sheet.error.status === 404) return <ClosedSheet person={{ id: personId }} why="none" onOpened={reopen} />;
    return (
      <Page title={t('emergency.sheet.title')}>
        <ErrorMessage error={sheet.error} onRetry={reload} />
        <BackLink />
      </Page>
    );
  }
  const data = sheet.data;
  const left = remainingMs(data.grant.expires_at, Date.now());
  if (ended || left === 0) return <ClosedSheet person={data.person} why={ended ? 'ended' : 'expired'} onOpened={reopen} />;
  return (
    <SheetView
      sheet={data}
      remaining={left}
      transports={[...recorded, ...data.transports]}
      onTransport={(transport) => setRecorded((list) => [transport, ...list])}
      onEnded={() => setEnded(true)}
    />
  );
}

function SheetView({
  sheet,
  remaining,
  transports,
  onTransport,
  onEnded,
}: {
  sheet: EmergencySheet;
  remaining: number;
  transports: Transport[];
  onTransport: (transport: Transport) => void;
  onEnded: () => void;
}) {
  const lang = useLang();
  const session = useSession();
  const person = sheet.person;
  // A paramedic's own grant can be ended and carries transports; a hospital's only reads.
  const ownGrant = sheet.grant.kind === 'paramedic';
  const canTransport = ownGrant && hasPermission(session, 'emergency.transport');
  const canEnd = ownGrant && hasPermission(session, 'emergency.grant');
  return (
    <div class="em-sheet-page">
      <Page
        title={person.name}
        lead={
          <span class="em-sheet-lead" data-testid="sheet-identity">
            <span>{person.kana}</span>
            <span class="em-sheet-age" data-testid="sheet-age">
              {t('person.age_value', { age: person.age })}　{tOptional(`sex.${person.sex}`, person.sex)}
            </span>
          </span>
        }
        testId="emergency-sheet"
      >
        <p class="print-only em-print-heading">
          {t('emergency.sheet.print_heading', { time: formatDateTimeShort(new Date().toISOString(), lang) })}
        </p>
        <GrantBar sheet={sheet} remaining={remaining} canTransport={canTransport} canEnd={canEnd} onEnded={onEnded} />
        {!sheet.registered ? (
          <div class="notice notice-info" role="note" data-testid="sheet-not-registered">
            <p>{t('emergency.sheet.not_registered')}</p>
          </div>
        ) : null}
        <div class="em-sheet">
          <AcpCard acp={sheet.acp} registered={sheet.registered} />
          <AllergyCard sheet={sheet} />
          <SheetSection id="kin" title={t('emergency.sheet.next_of_kin')} testId="sheet-next-of-kin">
            <ContactList contacts={byOrder(sheet.next_of_kin)} testId="sheet-kin" />
          </SheetSection>
          <SheetSection id="doctor" title={t('emergency.sheet.family_doctor')} testId="sheet-family-doctor">
            {sheet.family_doctor ? (
              <div class="em-contact">
                <p class="em-contact-name">
                  {sheet.family_doctor.name}
                  {sheet.family_doctor.clinic ? <span class="em-contact-rel">{sheet.family_doctor.clinic}</span> : null}
                </p>
                <p class="em-phones">
                  <PhoneLink phone={sheet.family_doctor.phone} />
                </p>
              </div>
            ) : (
              <None />
            )}
          </SheetSection>
          <LifeRecords records={sheet.life_records ?? []} />
          <SheetSection id="history" title={t('emergency.sheet.history')} testId="sheet-history">
            {sheet.history.length === 0 ? (
              <None />
            ) : (
              <ul class="em-list">
                {sheet.history.map((c, i) => (
                  <li key={i} data-testid="sheet-condition">
                    <strong>{c.condition}</strong>
                    <span class="em-sub">
                      {[c.since ? t('emergency.sheet.since', { since: c.since }) : '', c.status ? tOptional(`carenet.value.status.${c.status}`, c.status) : '', c.note]
                        .filter(Boolean)
                        .join('　')}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </SheetSection>
          <SheetSection id="prescriptions" title={t('emergency.sheet.prescriptions')} testId="sheet-prescriptions">
            {sheet.prescriptions.length === 0 ? (
              <None />
            ) : (
              <ul class="em-list">
                {sheet.prescriptions.map((p, i) => (
                  <li key={i} data-testid="sheet-prescription">
                    <strong>{p.drug}</strong>
                    <span class="em-sub">{[p.dose, p.schedule].filter(Boolean).join('　')}</span>
                  </li>
                ))}
              </ul>
            )}
          </SheetSection>
          <SheetSection id="person" title={t('emergency.sheet.identity')} testId="sheet-person">
            <dl class="em-facts">
              <div>
                <dt>{t('person.birth_date')}</dt>
                <dd>{person.birth_date ? formatBirthDate(person.birth_date, lang) : t('emergency.sheet.none')}</dd>
              </div>
              <div>
                <dt>{t('person.address')}</dt>
                <dd>{person.address}</dd>
              </div>
              <div>
                <dt>{t('person.phones')}</dt>
                <dd class="em-phones">
                  {phonesOf(person).length === 0 ? <None /> : phonesOf(person).map((phone) => <PhoneLink key={phone} phone={phone} />)}
                </dd>
              </div>
              <div>
                <dt>{t('emergency.sheet.care_level')}</dt>
                <dd data-testid="sheet-care-level">
                  {!sheet.care_level
                    ? t('emergency.sheet.none')
                    : sheet.care_level.certified_on
                      ? t('emergency.sheet.care_level_value', { level: sheet.care_level.level, date: formatBirthDate(sheet.care_level.certified_on, lang) })
                      : sheet.care_level.level}
                </dd>
              </div>
            </dl>
          </SheetSection>
          <SheetSection id="team" title={t('emergency.sheet.care_team')} testId="sheet-care-team">
            {sheet.care_team.length === 0 ? (
              <None />
            ) : (
              <ul class="em-list">
                {sheet.care_team.map((m, i) => (
                  <li key={i} class="em-contact" data-testid="sheet-team-member">
                    <p class="em-contact-name">
                      {m.name}
                      <span class="em-contact-rel">
                        {tOptional(`role.${m.role}`, m.role)}
                        {m.organization ? `・${m.organization.name}` : ''}
                      </span>
                      {m.lead ? <span class="badge badge-ok">{t('emergency.sheet.lead')}</span> : null}
                    </p>
                    <p class="em-phones">
                      <PhoneLink phone={m.phone ?? m.organization?.phone} />
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </SheetSection>
          {sheet.watch_contacts.length > 0 ? (
            <SheetSection id="watch" title={t('emergency.sheet.watch_contacts')} testId="sheet-watch-contacts">
              <ContactList contacts={sheet.watch_contacts} testId="sheet-watch-contact" />
            </SheetSection>
          ) : null}
          <section class="em-card em-transports" id="em-transport" aria-labelledby="em-sec-transport" data-testid="sheet-transports">
            <h2 id="em-sec-transport" class="em-card-title" tabIndex={-1}>
              {t('emergency.transport.title')}
            </h2>
            {transports.length === 0 ? (
              <p class="em-none" data-testid="sheet-transports-empty">
                {t('emergency.transport.none')}
              </p>
            ) : (
              <ul class="em-list">
                {transports.map((tr) => (
                  <li key={tr.id} data-testid="sheet-transport" data-transport-id={tr.id}>
                    <strong>{tr.hospital?.name ?? tr.hospital_name}</strong>
                    <span class="em-sub">
                      {t('emergency.transport.line', { time: formatDateTimeShort(tr.departed_at, lang), by: tr.recorded_by.name })}
                    </span>
                    <span class="em-pre">{tr.condition}</span>
                  </li>
                ))}
              </ul>
            )}
            {canTransport ? <TransportForm person={person.id} onRecorded={onTransport} /> : null}
          </section>
        </div>
      </Page>
    </div>
  );
}

/** The time left, and the actions of the grant: print, record a transport, end. */
function GrantBar({
  sheet,
  remaining,
  canTransport,
  canEnd,
  onEnded,
}: {
  sheet: EmergencySheet;
  remaining: number;
  canTransport: boolean;
  canEnd: boolean;
  onEnded: () => void;
}) {
  const lang = useLang();
  const [confirming, setConfirming] = useState(false);
  const end = useSubmit(async () => {
    await endGrant(sheet.grant.grant);
    onEnded();
  });
  return (
    <div class={remaining < 10 * 60_000 ? 'em-grant-bar em-grant-soon' : 'em-grant-bar'} data-testid="sheet-grant">
      <p class="em-remaining">
        <span class="em-remaining-label">{t('emergency.sheet.remaining')}</span>
        <strong data-testid="sheet-remaining">{formatRemaining(remaining)}</strong>
        <span class="em-remaining-until">{t('emergency.sheet.until', { time: formatUntil(sheet.grant.expires_at, Date.now(), lang) })}</span>
      </p>
      <div class="em-grant-actions no-print">
        {canTransport ? (
          <button
            type="button"
            class="button button-secondary button-small"
            onClick={() => {
              const target = document.getElementById('em-sec-transport');
              target?.scrollIntoView({ block: 'start' });
              target?.focus({ preventScroll: true });
            }}
            data-testid="sheet-go-transport"
          >
            {t('emergency.transport.record')}
          </button>
        ) : null}
        <button type="button" class="button button-secondary button-small" onClick={() => window.print()} data-testid="sheet-print">
          {t('emergency.sheet.print')}
        </button>
        {confirming || !canEnd ? null : (
          <button type="button" class="button button-quiet button-small em-end" onClick={() => setConfirming(true)} data-testid="sheet-end">
            {t('emergency.sheet.end')}
          </button>
        )}
      </div>
      {confirming ? (
        <ConfirmBox
          className="em-end-confirm"
          label={t('emergency.sheet.end')}
          question={t('emergency.sheet.end_question')}
          confirmLabel={t('emergency.sheet.end_confirm')}
          busy={end.busy}
          onConfirm={(e) => void end.submit(e)}
          onCancel={() => setConfirming(false)}
          testId={{ box: 'sheet-end-confirm-box', confirm: 'sheet-end-confirm' }}
        >
          {end.error ? (
            <p class="notice notice-error" role="alert">
              {describeError(end.error)}
            </p>
          ) : null}
        </ConfirmBox>
      ) : null}
    </div>
  );
}

const RESUSCITATION_KEYS: Record<string, MessageKey> = {
  wanted: 'emergency.acp.wanted',
  not_wanted: 'emergency.acp.not_wanted',
  undecided: 'emergency.acp.undecided',
};

/** 人生会議: the resuscitation wish in large type with the day it was talked over, then the rest. */
function AcpCard({ acp, registered }: { acp: Acp | null; registered: boolean }) {
  const lang = useLang();
  const value = acp?.resuscitation ?? null;
  const details: [MessageKey, string][] = acp
    ? ([
        ['emergency.acp.life_sustaining', acp.life_sustaining],
        ['emergency.acp.place_of_care', acp.place_of_care],
        ['emergency.acp.place_of_death', acp.place_of_death],
        ['emergency.acp.decision_maker', acp.decision_maker],
        ['emergency.acp.note', acp.note],
      ] as [MessageKey, string][]).filter(([, text]) => !!text)
    : [];
  return (
    <section class={`em-card em-acp em-acp-${value ?? 'none'}`} aria-labelledby="em-sec-acp" data-testid="sheet-acp" data-resuscitation={value ?? ''}>
      <h2 id="em-sec-acp" class="em-card-title">
        {t('emergency.acp.title')}
      </h2>
      {acp ? (
        <>
          <p class="em-acp-main" data-testid="sheet-acp-resuscitation">
            {value ? t(RESUSCITATION_KEYS[value] ?? 'emergency.acp.unknown') : t('emergency.acp.unknown')}
          </p>
          <p class="em-acp-date" data-testid="sheet-acp-confirmed">
            {t('emergency.acp.confirmed_on', { date: formatBirthDate(acp.confirmed_on, lang) })}
          </p>
          {details.length > 0 ? (
            <dl class="em-facts em-acp-details">
              {details.map(([key, text]) => (
                <div key={key}>
                  <dt>{t(key)}</dt>
                  <dd class="em-pre">{text}</dd>
                </div>
              ))}
            </dl>
          ) : null}
        </>
      ) : (
        <p class="em-acp-main em-acp-missing" data-testid="sheet-acp-none">
          {registered ? t('emergency.acp.none') : t('emergency.sheet.none')}
        </p>
      )}
    </section>
  );
}

/** Allergies, red-flagged when there are any; "none recorded" is not "no allergies". */
function AllergyCard({ sheet }: { sheet: EmergencySheet }) {
  const list = sheet.allergies;
  return (
    <section class={list.length > 0 ? 'em-card em-allergies em-flag' : 'em-card em-allergies'} aria-labelledby="em-sec-allergies" data-testid="sheet-allergies">
      <h2 id="em-sec-allergies" class="em-card-title">
        {list.length > 0 ? <Icon name="state-attention" /> : null}
        {t('emergency.sheet.allergies')}
        {list.length > 0 ? <span class="visually-hidden">{t('emergency.sheet.allergies_flag')}</span> : null}
      </h2>
      {list.length === 0 ? (
        <p class="em-none" data-testid="sheet-allergies-none">
          {t('emergency.sheet.none')}
        </p>
      ) : (
        <ul class="em-list em-allergy-list">
          {list.map((a, i) => (
            <li key={i} data-testid="sheet-allergy" data-severity={a.severity}>
              <strong class="em-allergy-substance">{a.substance}</strong>
              <span class="em-sub">
                {[a.reaction, a.severity ? tOptional(`carenet.value.severity.${a.severity}`, a.severity) : ''].filter(Boolean).join('・')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ContactList({ contacts, testId }: { contacts: Contact[]; testId: string }) {
  if (contacts.length === 0) return <None />;
  return (
    <ul class="em-list">
      {contacts.map((c, i) => (
        <li key={i} class="em-contact" data-testid={testId}>
          <p class="em-contact-name">
            {c.name}
            {c.relationship ? <span class="em-contact-rel">{c.relationship}</span> : null}
          </p>
          <p class="em-phones">{phonesOf(c).length === 0 ? <None /> : phonesOf(c).map((phone) => <PhoneLink key={phone} phone={phone} />)}</p>
        </li>
      ))}
    </ul>
  );
}

function SheetSection({ id, title, testId, children }: { id: string; title: string; testId: string; children: ComponentChildren }) {
  return (
    <section class={`em-card em-sec-${id}`} aria-labelledby={`em-sec-${id}`} data-testid={testId}>
      <h2 id={`em-sec-${id}`} class="em-card-title">
        {title}
      </h2>
      {children}
    </section>
  );
}

function None() {
  return <span class="em-none">{t('emergency.sheet.none')}</span>;
}

function BackLink() {
  return (
    <p>
      <Link href="/emergency" class="button button-secondary" data-testid="sheet-back">
        {t('emergency.sheet.back')}
      </Link>
    </p>
  );
}

/** No live grant (never opened, ended, expired): say so, and offer to open one where allowed. */
function ClosedSheet({ person, why, onOpened }: { person: { id: number; name?: string; kana?: string }; why: Closed; onOpened: () => void }) {
  const session = useSession();
  const canGrant = hasPermission(session, 'emergency.grant');
  const [opening, setOpening] = useState(false);
  const whyKey: Record<Closed, MessageKey> = {
    none: 'emergency.closed.none',
    ended: 'emergency.closed.ended',
    expired: 'emergency.closed.expired',
  };
  return (
    <Page title={person.name ? t('emergency.closed.title_named', { name: person.name }) : t('emergency.closed.title')} testId="sheet-closed">
      <div class="notice notice-info" role="status" data-testid="sheet-closed-reason" data-why={why}>
        <p>{t(whyKey[why])}</p>
        <p>{canGrant ? t('emergency.closed.open_hint') : t('emergency.closed.hospital_hint')}</p>
      </div>
      <div class="form-actions">
        {canGrant ? (
          <button type="button" class="button button-danger" onClick={() => setOpening(true)} data-testid="sheet-closed-open">
            {t('emergency.grant.submit')}
          </button>
        ) : null}
        <Link href="/emergency" class="button button-secondary" data-testid="sheet-back">
          {t('emergency.sheet.back')}
        </Link>
      </div>
      <BreakGlassDialog
        person={opening ? person : null}
        onClose={() => setOpening(false)}
        onGranted={() => {
          setOpening(false);
          onOpened();
        }}
      />
    </Page>
  );
}

/** 最近のくらしの記録（72時間）: what the family wrote lately, values outside their range flagged; hidden when there is none. */
function LifeRecords({ records }: { records: SheetLifeRecord[] }) {
  if (records.length === 0) return null;
  return (
    <SheetSection id="life" title={t('emergency.sheet.life_records')} testId="sheet-life-records">
      <ul class="em-list em-life">
        {records.map((r, i) => (
          <li key={i} data-testid="sheet-life-record">
            <strong class="em-life-time">{r.local_time.slice(5).replace('-', '/')}</strong>
            <span class="em-life-items">
              {r.items.map((item, j) => (
                <span key={j} class={item.out_of_range ? 'em-life-item em-life-out' : 'em-life-item'} data-testid="sheet-life-item" data-out={item.out_of_range ? 'true' : 'false'}>
                  {item.out_of_range ? <span aria-hidden="true">⚑</span> : null}
                  {item.label} {item.value}
                  {item.out_of_range ? <span class="visually-hidden">{t('lifelog.record.out_of_range')}</span> : null}
                </span>
              ))}
            </span>
            {r.note ? <span class="em-sub">{r.note}</span> : null}
          </li>
        ))}
      </ul>
    </SheetSection>
  );
}
