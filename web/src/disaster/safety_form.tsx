import { useMemo, useState } from 'preact/hooks';
import { LOCATIONS, NOTE_MAX, postSafety, type PersonCard, type SafetyAnswer, type SafetyLabel, type SafetyLocation } from '../api/disaster';
import { t, useLang } from '../common/i18n';
import { useSubmit } from '../common/use_submit';
import { ErrorMessage } from '../components/error_message';
import { newClientId } from '../lifelog/client_id';
import { findLabel, labelName, locationName, textColorOn } from './labels';

/**
 * 安否の記録: the label as large buttons in its colour with its name, where the person is (the
 * shelter's name when at a shelter), a note. Each post carries an id made here, kept while the
 * content stays the same: sending again after a lost answer writes nothing twice.
 */
export function SafetyForm({
  eventId,
  card,
  labels,
  onPosted,
}: {
  eventId: number | string;
  card: PersonCard;
  labels: SafetyLabel[];
  onPosted: (answer: SafetyAnswer) => void;
}) {
  const lang = useLang();
  const [label, setLabel] = useState<string | null>(null);
  const [location, setLocation] = useState<SafetyLocation>(LOCATIONS.includes(card.status.location as SafetyLocation) ? (card.status.location as SafetyLocation) : 'unknown');
  const [shelter, setShelter] = useState(card.status.shelter || card.designated_shelter);
  const [note, setNote] = useState('');
  const [sent, setSent] = useState(0);
  const [replayed, setReplayed] = useState<boolean | null>(null);
  // A new id for new content; the same one when the same content is sent again.
  const clientId = useMemo(() => newClientId(), [label, location, shelter, note, sent]);
  const shelters = useMemo(
    () => [...new Set([card.designated_shelter, ...card.posts.map((p) => p.shelter)].filter(Boolean))],
    [card],
  );

  /** A new post begins: the last one's confirmation goes. */
  const choose = (key: string) => {
    setLabel(key);
    setReplayed(null);
  };

  const { submit, busy, error } = useSubmit(async () => {
    if (!label) return;
    const answer = await postSafety(eventId, card.id, {
      label,
      location,
      shelter: location === 'shelter' ? shelter.trim() : '',
      note: note.trim(),
      client_id: clientId,
    });
    setReplayed(answer.replayed);
    setLabel(null);
    setNote('');
    setSent((n) => n + 1);
    onPosted(answer);
  });

  return (
    <form class="dz-safety-form" onSubmit={submit} data-testid="safety-form" data-client-id={clientId}>
      <h3 class="dz-card-title">{t('disaster.safety.title')}</h3>
      <fieldset class="dz-fieldset">
        <legend>{t('disaster.safety.label')}</legend>
        <div class="dz-label-choices">
          {labels.map((l) => (
            <label
              key={l.key}
              class={label === l.key ? 'dz-label-choice is-checked' : 'dz-label-choice'}
              style={{ background: l.color, color: textColorOn(l.color) }}
              data-testid="safety-label"
              data-label={l.key}
            >
              <input type="radio" class="visually-hidden" name="dz-safety-label" value={l.key} checked={label === l.key} onChange={() => choose(l.key)} />
              {label === l.key ? (
                <span class="dz-choice-mark" aria-hidden="true">
                  ✓
                </span>
              ) : null}
              <span>{labelName(l, lang)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset class="dz-fieldset">
        <legend>{t('disaster.safety.location')}</legend>
        <div class="dz-location-choices">
          {LOCATIONS.map((loc) => (
            <label key={loc} class={location === loc ? 'dz-location-choice is-checked' : 'dz-location-choice'} data-testid="safety-location" data-location={loc}>
              <input type="radio" class="visually-hidden" name="dz-safety-location" value={loc} checked={location === loc} onChange={() => setLocation(loc)} />
              <span>{locationName(loc)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {location === 'shelter' ? (
        <div class="field">
          <label for="dz-shelter">{t('disaster.safety.shelter')}</label>
          <input id="dz-shelter" list="dz-shelters" value={shelter} maxLength={100} onInput={(e) => setShelter(e.currentTarget.value)} data-testid="safety-shelter" />
          <datalist id="dz-shelters">
            {shelters.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </div>
      ) : null}
      <div class="field">
        <label for="dz-safety-note">{t('disaster.safety.note')}</label>
        <textarea id="dz-safety-note" rows={2} maxLength={NOTE_MAX} value={note} onInput={(e) => setNote(e.currentTarget.value)} data-testid="safety-note" />
      </div>
      {error ? (
        <>
          {error.status === 0 ? (
            <p class="notice notice-error" role="alert" data-testid="safety-offline">
              {t('disaster.safety.offline')}
            </p>
          ) : (
            <ErrorMessage error={error} />
          )}
        </>
      ) : null}
      <div class="dz-safety-submit">
        {replayed !== null ? (
          <p class="notice notice-success" role="status" data-testid="safety-posted" data-replayed={replayed}>
            {replayed ? t('disaster.safety.replayed') : t('disaster.safety.posted')}
          </p>
        ) : null}
        <button type="submit" class="button button-primary button-wide dz-big-button" disabled={busy || label === null} data-testid="safety-submit">
          {label === null ? t('disaster.safety.choose') : t('disaster.safety.submit', { label: labelName(findLabel(labels, label), lang) })}
        </button>
      </div>
    </form>
  );
}
