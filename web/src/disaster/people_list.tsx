import { useState } from 'preact/hooks';
import type { MapPerson, SafetyLabel } from '../api/disaster';
import { formatAgo, formatNumber } from '../common/format';
import { t, useLang } from '../common/i18n';
import { findLabel, locationName, needName } from './labels';
import { LabelBadge } from './parts';

const PAGE = 100;

/**
 * The people beside (or under) the map, most urgent label first (the settings' order), then by
 * kana; a hundred at a time. Who has no position says so, and who went silent is marked.
 */
export function PeopleList({
  people,
  labels,
  selected,
  onOpen,
}: {
  people: readonly MapPerson[];
  labels: SafetyLabel[];
  selected: number | null;
  onOpen: (person: MapPerson) => void;
}) {
  const lang = useLang();
  const [shown, setShown] = useState(PAGE);
  if (people.length === 0) {
    return (
      <p class="empty dz-list-empty" data-testid="people-empty">
        {t('disaster.list.empty')}
      </p>
    );
  }
  const now = Date.now();
  const rest = people.length - shown;
  return (
    <div class="dz-list-wrap">
      <ul class="plain-list dz-list" data-testid="people-list" aria-label={t('disaster.list.label')}>
        {people.slice(0, shown).map((person) => (
          <li key={person.id}>
            <button
              type="button"
              class={person.id === selected ? 'dz-person is-selected' : 'dz-person'}
              onClick={() => onOpen(person)}
              data-testid="person-row"
              data-person-id={person.id}
              data-label={person.label}
              aria-current={person.id === selected ? 'true' : undefined}
            >
              <LabelBadge label={findLabel(labels, person.label)} testId="person-label" />
              <span class="dz-person-main">
                <strong class="dz-person-name">{person.name}</strong>
                <span class="dz-person-kana">{person.kana}</span>
                <span class="dz-person-meta">
                  {person.district}
                  {person.location !== 'unknown' ? ` ・ ${locationName(person.location)}${person.shelter ? `（${person.shelter}）` : ''}` : ''}
                  {person.updated_at ? ` ・ ${formatAgo(person.updated_at, now)}` : ''}
                </span>
                {person.needs.length > 0 ? <span class="dz-person-needs">{person.needs.map(needName).join('・')}</span> : null}
                {person.silent || person.lat === null || person.lon === null ? (
                  <span class="dz-person-flags">
                    {person.silent ? (
                      <span class="dz-flag dz-flag-silent" data-testid="person-silent">
                        <span aria-hidden="true">📡✕ </span>
                        {t('disaster.list.silent')}
                      </span>
                    ) : null}
                    {person.lat === null || person.lon === null ? (
                      <span class="dz-flag" data-testid="person-no-position">
                        {t('disaster.list.no_position')}
                      </span>
                    ) : null}
                  </span>
                ) : null}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {rest > 0 ? (
        <button type="button" class="button button-secondary button-wide" onClick={() => setShown((n) => n + PAGE)} data-testid="people-more">
          {t('disaster.list.more', { n: formatNumber(Math.min(PAGE, rest), lang, 0), rest: formatNumber(rest, lang, 0) })}
        </button>
      ) : null}
    </div>
  );
}
