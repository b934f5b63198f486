import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { t } from '../common/i18n';
import './page.css';

interface Props {
  title: string;
  /** Optional line under the heading. */
  lead?: ComponentChildren;
  /** Extra content placed beside the heading (buttons). */
  actions?: ComponentChildren;
  testId?: string;
  children?: ComponentChildren;
}

/**
 * The frame of one page: sets the document title and puts the page heading first.
 * The heading can take focus (tabIndex -1): the app moves focus there after in-app navigation.
 */
export function Page({ title, lead, actions, testId, children }: Props) {
  useEffect(() => {
    document.title = `${title} | ${t('app.name')}`;
  }, [title]);
  return (
    <section class="page" data-testid={testId}>
      <div class="page-head">
        <div class="page-head-text">
          <h1 class="page-title" tabIndex={-1} data-testid="page-title">
            {title}
          </h1>
          {lead ? <p class="page-lead">{lead}</p> : null}
        </div>
        {actions ? <div class="page-actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}
