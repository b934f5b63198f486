import type { ComponentChildren } from 'preact';
import { t } from '../common/i18n';

/** A question asked in place before something that cannot be undone, with confirm and cancel. */
export function ConfirmBox({
  className,
  label,
  question,
  confirmLabel,
  busy,
  onConfirm,
  onCancel,
  testId,
  children,
}: {
  className: string;
  label: string;
  question: string;
  confirmLabel: string;
  busy: boolean;
  onConfirm: (e: Event) => void;
  onCancel: () => void;
  /** data-testid of the box and of its confirm button. */
  testId: { box: string; confirm: string };
  /** Shown under the buttons, e.g. the error of the last attempt. */
  children?: ComponentChildren;
}) {
  return (
    <div class={`${className} no-print`} role="group" aria-label={label} data-testid={testId.box}>
      <p>{question}</p>
      <div class="form-actions">
        <button type="button" class="button button-danger" disabled={busy} onClick={onConfirm} data-testid={testId.confirm}>
          {confirmLabel}
        </button>
        <button type="button" class="button button-quiet" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
      {children}
    </div>
  );
}
