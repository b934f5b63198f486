import { t, type MessageKey } from '../common/i18n';
import { Icon, type IconName } from './icons';
import { Link } from './link';
import { Page } from './page';
import './placeholder_page.css';

interface Props {
  /** Feature code name: carenet, watch, … (used in data-testid="part-<id>"). */
  id: string;
  title: MessageKey;
  description: MessageKey;
  /** What the finished part will hold, one line each. */
  plans: MessageKey[];
  icon: IconName;
}

/** The page of a part that is still being built: what it is, what it will hold, 準備中. */
export function PlaceholderPage({ id, title, description, plans, icon }: Props) {
  return (
    <Page title={t(title)} testId={`part-${id}`}>
      <div class="placeholder card">
        <div class="placeholder-head">
          <span class="placeholder-icon">
            <Icon name={icon} />
          </span>
          <span class="badge badge-pending" data-testid="coming-soon">
            {t('placeholder.badge')}
          </span>
        </div>
        <p class="placeholder-description">{t(description)}</p>
        <h2 class="placeholder-subtitle">{t('placeholder.plans')}</h2>
        <ul class="placeholder-plans">
          {plans.map((key) => (
            <li key={key}>{t(key)}</li>
          ))}
        </ul>
      </div>
      <p>
        <Link href="/" class="button button-secondary">
          {t('common.back_home')}
        </Link>
      </p>
    </Page>
  );
}
