import { useState } from 'preact/hooks';
import { getPersonCard, type PersonCard, type SafetyAnswer, type SafetyLabel, type SafetyPost } from '../api/disaster';
import { formatDateTimeShort } from '../common/format';
import { t, tOptional, useLang } from '../common/i18n';
import { hasPermission, useSession } from '../common/session';
import { useResource } from '../common/use_resource';
import { PhoneLink } from '../components/phone_link';
import { ResourceView } from '../components/resource_view';
import { findLabel, locationName, needName } from './labels';
import { LabelBadge } from './parts';
import { SafetyForm } from './safety_form';

/**
 * A person's card for the field: the current status first, the phones to call, what they need,
 * then the safety form; the supporter, shelter, care team and the posts so far below.
 */
export function PersonCardView({
  eventId,
  personId,
  labels,
  writable,
  onPosted,
}: {
  eventId: string;
  personId: number;
  labels: SafetyLabel[];
  /** False for an ended event: the card is read only. */
  writable: boolean;
  onPosted: (answer: SafetyAnswer) => void;
}) {
  const [resource, reload] = useResource((signal) => getPersonCard(eventId, personId, signal), [eventId, personId]);
  const [fresh, setFresh] = useState<PersonCard | null>(null);
  return (
    <ResourceView resource={resource} onRetry={reload}>
      {(loaded) => {
        const card = fresh ?? loaded;
        return (
          <CardBody
            card={card}
            eventId={eventId}
            labels={labels}
            writable={writable}
            onPosted={(answer) => {
              // The post is shown at once; the card is read again for what the server adds.
              setFresh({ ...card, status: answer.status, posts: answer.replayed ? card.posts : [answer.post, ...card.posts] });
              onPosted(answer);
              void getPersonCard(eventId, personId).then(setFresh, () => undefined);
            }}
          />
        );
      }}
    </ResourceView>
  );
}

function CardBody({
  card,
  eventId,
  labels,
  writable,
  onPosted,
}: {
  card: PersonCard;
  eventId: string;
  labels: SafetyLabel[];
  writable: boolean;
  onPosted: (answer: SafetyAnswer) => void;
}) {
  const lang = useLang();
  const session = useSession();
  const status = card.status;
  return (
    <div class="dz-card" data-testid="person-card" data-person-id={card.id} data-label={status.label}>
      <div class="dz-card-status" data-testid="card-status">
        <LabelBadge label={findLabel(labels, status.label)} large testId="card-label" />
        <span>
          {locationName(status.location)}
          {status.shelter ? `（${status.shelter}）` : ''}
        </span>
        <span class="dz-card-sub">
          {status.updated_at
            ? t('disaster.card.updated', { at: formatDateTimeShort(status.updated_at, lang), name: status.by?.name ?? '—' })
            : t('disaster.card.not_confirmed')}
        </span>
        {status.note ? <p class="dz-card-note">{status.note}</p> : null}
      </div>
      <p class="dz-card-who">
        <span>{card.kana}</span>
        <span>{tOptional(`sex.${card.sex}`, card.sex)}</span>
        {card.age !== null ? <span>{t('disaster.card.age', { age: card.age })}</span> : null}
        {card.care_level ? <span>{card.care_level}</span> : null}
        {!card.consent ? <span class="badge badge-muted">{t('disaster.card.no_consent')}</span> : null}
      </p>
      <p class="dz-card-address">
        {card.address || card.district}
        {card.lat === null || card.lon === null ? <span class="dz-flag">{t('disaster.list.no_position')}</span> : null}
      </p>
      {card.phones.length > 0 ? (
        <ul class="plain-list dz-phones" aria-label={t('disaster.card.phones')}>
          {card.phones.map((phone) => (
            <li key={phone}>
              <PhoneLink phone={phone} testId="card-phone" />
            </li>
          ))}
        </ul>
      ) : (
        <p class="field-hint">{t('disaster.card.no_phone')}</p>
      )}
      {card.needs.length > 0 ? (
        <ul class="plain-list dz-needs" aria-label={t('disaster.card.needs')} data-testid="card-needs">
          {card.needs.map((need) => (
            <li key={need} class="dz-need">
              {needName(need)}
            </li>
          ))}
        </ul>
      ) : null}

      {writable && hasPermission(session, 'disaster.safety') ? <SafetyForm key={card.id} eventId={eventId} card={card} labels={labels} onPosted={onPosted} /> : null}

      <dl class="dz-card-facts">
        <dt>{t('disaster.card.supporter')}</dt>
        <dd data-testid="card-supporter">
          {card.supporter && (card.supporter.name || card.supporter.phone) ? (
            <>
              {card.supporter.name} <PhoneLink phone={card.supporter.phone} />
            </>
          ) : (
            t('common.not_registered')
          )}
        </dd>
        <dt>{t('disaster.card.shelter')}</dt>
        <dd data-testid="card-shelter">{card.designated_shelter || t('common.not_registered')}</dd>
      </dl>

      <h3 class="dz-card-title">{t('disaster.card.care_team')}</h3>
      {card.care_team.length === 0 ? (
        <p class="field-hint">{t('disaster.card.no_care_team')}</p>
      ) : (
        <ul class="plain-list dz-team" data-testid="card-care-team">
          {card.care_team.map((member, i) => (
            <li key={i} class="dz-team-member">
              <span>
                <strong>{member.name}</strong>
                <span class="dz-card-sub">
                  {tOptional(`role.${member.role}`, member.role)}
                  {member.organization ? ` ・ ${member.organization}` : ''}
                </span>
              </span>
              <PhoneLink phone={member.phone} />
            </li>
          ))}
        </ul>
      )}

      <h3 class="dz-card-title">{t('disaster.card.posts')}</h3>
      {card.posts.length === 0 ? (
        <p class="field-hint">{t('disaster.card.no_posts')}</p>
      ) : (
        <ol class="plain-list dz-posts" data-testid="card-posts">
          {card.posts.map((post) => (
            <PostRow key={post.id} post={post} labels={labels} />
          ))}
        </ol>
      )}
    </div>
  );
}

function PostRow({ post, labels }: { post: SafetyPost; labels: SafetyLabel[] }) {
  const lang = useLang();
  return (
    <li class="dz-post" data-testid="card-post" data-label={post.label}>
      <div class="dz-post-head">
        <LabelBadge label={findLabel(labels, post.label)} />
        <span>
          {locationName(post.location)}
          {post.shelter ? `（${post.shelter}）` : ''}
        </span>
      </div>
      <span class="dz-card-sub">
        <time dateTime={post.at}>{formatDateTimeShort(post.at, lang)}</time>
        {post.author ? ` ・ ${post.author.name}（${tOptional(`role.${post.author.role}`, post.author.role)}）` : ''}
      </span>
      {post.note ? <p class="dz-post-note">{post.note}</p> : null}
    </li>
  );
}
