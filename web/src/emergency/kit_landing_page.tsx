import { listLiveGrants, resolveKit, type EmergencyIdentity } from '../api/emergency';
import { t, tOptional, useLang } from '../common/i18n';
import { navigate } from '../common/router';
import { hasPermission, useSession } from '../common/session';
import { useResource } from '../common/use_resource';
import { ErrorMessage } from '../components/error_message';
import { Link } from '../components/link';
import { Loading } from '../components/loading';
import { Page } from '../components/page';
import { BreakGlassForm } from './break_glass_form';
import './emergency.css';

/**
 * /e/<code>: where the fridge kit's QR code leads. A paramedic sees whose kit it is (identity only)
 * and opens the sheet with a reason; the code goes with the grant, so the review shows it.
 */
export function KitLandingPage({ code }: { code: string }) {
  useLang();
  const session = useSession();
  const canGrant = hasPermission(session, 'emergency.grant');
  const [person, reload] = useResource((signal) => (canGrant ? resolveKit(code, signal) : Promise.resolve(null)), [code, canGrant]);
  const [grants] = useResource((signal) => (canGrant ? listLiveGrants(signal) : Promise.resolve([])), [canGrant]);

  if (!canGrant) {
    return (
      <Page title={t('emergency.kit_landing.title')} testId="kit-landing">
        <div class="notice notice-info" role="status" data-testid="kit-landing-not-paramedic">
          <p>{t('emergency.kit_landing.paramedics_only')}</p>
        </div>
        <p>
          <Link href="/" class="button button-secondary">
            {t('common.back_home')}
          </Link>
        </p>
      </Page>
    );
  }
  if (person.state === 'loading') {
    return (
      <Page title={t('emergency.kit_landing.title')} testId="kit-landing">
        <Loading />
      </Page>
    );
  }
  if (person.state === 'error') {
    if (person.error.status === 404) {
      return (
        <Page title={t('emergency.kit_landing.title')} testId="kit-landing">
          <div class="notice notice-error" role="alert" data-testid="kit-invalid">
            <p>
              <strong>{t('emergency.kit_landing.invalid')}</strong>
            </p>
            <p>{t('emergency.kit_landing.invalid_hint')}</p>
          </div>
          <p>
            <Link href="/emergency" class="button button-primary" data-testid="kit-landing-search">
              {t('emergency.kit_landing.search')}
            </Link>
          </p>
        </Page>
      );
    }
    return (
      <Page title={t('emergency.kit_landing.title')} testId="kit-landing">
        <ErrorMessage error={person.error} onRetry={reload} />
      </Page>
    );
  }
  const who = person.data as EmergencyIdentity;
  const live = grants.state === 'ok' && grants.data.some((g) => g.person.id === who.id);
  return (
    <Page title={t('emergency.kit_landing.title')} lead={t('emergency.kit_landing.lead')} testId="kit-landing">
      <section class="card em-kit-person" aria-labelledby="kit-person-name" data-testid="kit-person" data-person-id={who.id}>
        <h2 id="kit-person-name" class="em-kit-person-name" data-testid="kit-person-name">
          {who.name}
        </h2>
        <p class="em-kit-person-kana">{who.kana}</p>
        <p class="em-kit-person-meta">
          {t('person.age_value', { age: who.age })}　{tOptional(`sex.${who.sex}`, who.sex)}
        </p>
        <p class="em-kit-person-address">{who.address}</p>
      </section>
      {live ? (
        <p>
          <Link href={`/emergency/persons/${who.id}`} class="button button-primary" data-testid="kit-landing-sheet">
            {t('emergency.search.show_sheet')}
          </Link>
        </p>
      ) : (
        <section class="card" aria-labelledby="kit-grant-title">
          <h2 id="kit-grant-title" class="section-title">
            {t('emergency.grant.title')}
          </h2>
          <BreakGlassForm person={who.id} kit={code} onGranted={(grant) => navigate(`/emergency/persons/${grant.person}`)} />
        </section>
      )}
    </Page>
  );
}
