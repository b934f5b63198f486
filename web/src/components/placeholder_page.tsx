import type { ComponentChildren } from 'preact';
import { t } from '../common/i18n';
import { Icon } from './icons';
import { Link } from './link';
import { Page } from './page';
import type { Part } from './parts';
import './placeholder_page.css';

/**
 * The page of a part that is still being built: what it is, what it will hold, 準備中.
 * `children` (the part's pages that are already there) come under the description.
 */
export function PlaceholderPage({ part, children }: { part: Part; children?: ComponentChildren }) {
  return (
    <Page title={t(part.title)} testId={`part-${part.id}`}>
      <div class="placeholder card">
        <div class="placeholder-head">
          <span class="icon-tile placeholder-icon">
            <Icon name={part.icon} />
          </span>
          <span class="badge badge-pending" data-testid="coming-soon">
            {t('placeholder.badge')}
          </span>
        </div>
        <p class="placeholder-description">{t(part.description)}</p>
        <h2 class="placeholder-subtitle">{t('placeholder.plans')}</h2>
        <ul class="placeholder-plans">
          {part.plans.map((key) => (
            <li key={key}>{t(key)}</li>
          ))}
        </ul>
      </div>
      {children}
      <p>
        <Link href="/" class="button button-secondary">
          {t('common.back_home')}
        </Link>
      </p>
    </Page>
  );
}
