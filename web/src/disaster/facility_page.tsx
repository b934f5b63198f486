import { useState } from 'preact/hooks';
import { getEvent } from '../api/disaster';
import { getPlaces, type Facility } from '../api/disaster_calls';
import { t, useLang } from '../common/i18n';
import { useSession } from '../common/session';
import { useResource } from '../common/use_resource';
import { Page } from '../components/page';
import { ResourceView } from '../components/resource_view';
import { EventHeading } from './parts';
import { FacilityCard } from './places';
import './disaster.css';

/**
 * 施設の状況報告: a facility's staff member (a nurse of a visiting-nursing station, on a phone) goes
 * straight to the card and report form of their own organisation.
 */
export function FacilityPage({ id }: { id: string }) {
  useLang();
  const session = useSession();
  const organization = session.status === 'signed_in' ? session.user.organization : null;
  const [event] = useResource((signal) => getEvent(id, signal), [id]);
  const [places, reload] = useResource((signal) => getPlaces(id, signal), [id]);
  const [changed, setChanged] = useState<Facility | null>(null);
  return (
    <Page title={t('disaster.place.facility_title')} lead={event.state === 'ok' ? <EventHeading event={event.data} back /> : null} testId="disaster-facility-page">
      <ResourceView resource={places} onRetry={reload}>
        {(loaded) => {
          const own = loaded.facilities.find((f) => organization !== null && f.name === organization.name);
          if (!own) {
            return (
              <p class="notice notice-info" data-testid="facility-none">
                {t('disaster.place.not_a_facility')}
              </p>
            );
          }
          const facility = changed?.id === own.id ? changed : own;
          return (
            <section class="card" aria-label={facility.name}>
              <h2 class="section-title" data-testid="facility-name">
                {facility.name}
              </h2>
              <FacilityCard eventId={id} facility={facility} writable={event.state === 'ok' && event.data.ended_at === null} onChange={setChanged} />
            </section>
          );
        }}
      </ResourceView>
    </Page>
  );
}
