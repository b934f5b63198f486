import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../common/i18n';
import { Icon } from './icons';
import './dialog.css';

let dialogCount = 0;

interface Props {
  open: boolean;
  /** The dialog's heading; it names the dialog for screen readers. */
  title: string;
  /** Called when the user closes it (close button, Escape). */
  onClose: () => void;
  testId?: string;
  children: ComponentChildren;
}

/**
 * A modal dialog on the native <dialog>: the browser keeps focus inside, Escape closes it and
 * the page behind cannot be used. Its content is made afresh each time it opens.
 */
export function Dialog({ open, title, onClose, testId, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [titleId] = useState(() => `dialog-title-${++dialogCount}`);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      data-testid={testId}
    >
      {open ? (
        <div class="dialog-body">
          <div class="dialog-head">
            <h2 id={titleId} class="dialog-title">
              {title}
            </h2>
            <button type="button" class="button button-quiet dialog-close" onClick={onClose} data-testid={testId ? `${testId}-close` : undefined}>
              <Icon name="close" />
              <span class="visually-hidden">{t('nav.close')}</span>
            </button>
          </div>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}
