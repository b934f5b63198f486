// Pieces shared by the alert worklist and the alert detail page: labels, badges, phone links.
import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api/client';
import { ALERT_LEVELS, type Alert, type AlertContact, type AlertLevel, type AlertStep } from '../api/watch_alerts';
import { hasMessage, t, tOptional } from '../common/i18n';
import { describeError } from '../components/error_message';
import { Icon } from '../components/icons';

export function kindLabel(kind: string): string {
  return tOptional(`alerts.kind.${kind}`, kind);
}

export function urgencyLabel(urgency: number): string {
  const clamped = Math.min(Math.max(Math.round(urgency), 1), 3);
  return t(`alerts.urgency.${clamped as 1 | 2 | 3}`);
}

export function levelLabel(level: number): string {
  return tOptional(`alerts.level.${level}`, String(level));
}

export function stateLabel(state: string): string {
  return tOptional(`alerts.state.${state}`, state);
}

export function closeOutcomeLabel(outcome: string): string {
  return tOptional(`alert.close_outcome.${outcome}`, outcome);
}

/** Digits and "+" only, for a tel: link. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

/** "緊急度 高" with a shape per level, so it does not rest on colour alone. */
export function UrgencyBadge({ urgency }: { urgency: number }) {
  const level = Math.min(Math.max(Math.round(urgency), 1), 3);
  return (
    <span class={`alert-urgency alert-urgency-${level}`} data-testid="alert-urgency" data-urgency={level}>
      <Icon name={level === 3 ? 'state-alert' : level === 2 ? 'state-attention' : 'state-ok'} />
      {urgencyLabel(level)}
    </span>
  );
}

export function StateBadge({ state }: { state: string }) {
  return (
    <span class={`alert-state alert-state-${state}`} data-testid="alert-state" data-state={state}>
      {stateLabel(state)}
    </span>
  );
}

/** The head line of an alert card: urgency, kind and state, then whatever the caller adds. */
export function AlertCardHead({ alert, children }: { alert: Pick<Alert, 'urgency' | 'kind' | 'state'>; children?: ComponentChildren }) {
  return (
    <div class="alert-card-head">
      <UrgencyBadge urgency={alert.urgency} />
      <span class="alert-kind" data-testid="alert-kind">
        {kindLabel(alert.kind)}
      </span>
      <StateBadge state={alert.state} />
      {children}
    </div>
  );
}

/** ①本人 ②家族 ③市 ④119, the current level marked (aria-current="step") and in bold. */
export function LevelSteps({ level, testId = 'alert-level' }: { level: AlertLevel; testId?: string }) {
  return (
    <ol class="alert-levels" aria-label={t('alerts.level')} data-testid={testId} data-level={level}>
      {ALERT_LEVELS.map((n) => (
        <li
          key={n}
          class={n === level ? 'alert-level current' : n < level ? 'alert-level passed' : 'alert-level'}
          aria-current={n === level ? 'step' : undefined}
        >
          {levelLabel(n)}
        </li>
      ))}
    </ol>
  );
}

/** A phone number as a big tap-to-call link. */
export function TelLink({ phone, label, testId }: { phone: string; label?: string; testId?: string }) {
  return (
    <a href={telHref(phone)} class="alert-tel" data-testid={testId ?? 'alert-tel'}>
      <Icon name="phone" />
      <span>
        {label ? <span class="alert-tel-label">{label}</span> : null}
        <span class="alert-tel-number">{phone}</span>
      </span>
    </a>
  );
}

/** "長女 今井 家族" style line for a contact. */
export function contactName(contact: AlertContact): string {
  return contact.relationship ? t('alert.contact_name', { name: contact.name, relationship: contact.relationship }) : contact.name;
}

/** Server errors of the alert actions that have their own Japanese sentence. */
const ALERT_ERRORS = ['already_claimed', 'not_claimed', 'closed', 'invalid_outcome', 'invalid_action', 'missing', 'too_long', 'not_found'];

export function alertErrorText(error: ApiError): string {
  const key = `alert.error.${error.code}`;
  if (ALERT_ERRORS.includes(error.code) && hasMessage(key)) return t(key);
  return describeError(error);
}

/** What a step did, in words: "本人に電話 — 応答なし". */
export function stepActionLabel(step: Pick<AlertStep, 'action'>): string {
  return tOptional(`alert.action.${step.action}`, step.action);
}

export function stepOutcomeLabel(step: Pick<AlertStep, 'action' | 'outcome'>): string {
  if (!step.outcome) return '';
  if (step.action === 'close') return closeOutcomeLabel(step.outcome);
  return tOptional(`alert.outcome.${step.outcome}`, step.outcome);
}

/** Who or what a step was aimed at: the contact called, the level escalated to, the 119 destination. */
export function stepTargetLabel(step: AlertStep, alert: Alert): string {
  if (!step.target) return '';
  if (step.action === 'call_family') {
    const contact = alert.contacts?.find((c) => String(c.position) === step.target);
    return contact ? `${contact.position}. ${contactName(contact)}` : t('alert.contact_position', { n: step.target });
  }
  if (step.action === 'escalate') return levelLabel(Number(step.target));
  if (step.action === 'call_119') return t('alert.history.destination', { place: step.target });
  return step.target;
}
