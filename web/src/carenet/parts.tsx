// Pieces shared by the care-network pages: who someone is, attachments, pickers.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AttachmentInfo, CareUser } from '../api/carenet';
import { findRegisterCandidates } from '../api/carenet';
import { getPerson, listPersons, type Person } from '../api/persons';
import { searchProfessionals } from '../api/directory';
import { t, tOptional } from '../common/i18n';
import { useResource } from '../common/use_resource';
import { describeError } from '../components/error_message';
import { Loading } from '../components/loading';
import { formatBytes, MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES, previewUrl, readFiles, type FileProblem, type PickedFile } from './attachments';

const TYPING_PAUSE_MS = 300;

export function roleName(role: string): string {
  return tOptional(`role.${role}`, role);
}

/** "加藤 誠" with role and organisation on a second line. */
export function UserLabel({ user, testId }: { user: CareUser | null; testId?: string }) {
  if (!user) {
    return (
      <span class="cn-user" data-testid={testId}>
        <span class="cn-user-name">{t('carenet.system')}</span>
      </span>
    );
  }
  return (
    <span class="cn-user" data-testid={testId} data-user-id={user.id}>
      <span class="cn-user-name">{user.name}</span>
      <span class="cn-user-meta">
        {roleName(user.role)}
        {user.organization ? `${t('carenet.sep')}${user.organization.name}` : ''}
      </span>
    </span>
  );
}

/** Links to the attachments of a post: images as thumbnails, PDFs as download links. */
export function AttachmentList({ attachments, urlOf }: { attachments: AttachmentInfo[]; urlOf: (id: number) => string }) {
  if (attachments.length === 0) return null;
  return (
    <ul class="cn-attachments" data-testid="attachments">
      {attachments.map((a) => {
        const url = urlOf(a.id);
        const image = a.media_type.startsWith('image/');
        return (
          <li key={a.id} class={image ? 'cn-attachment cn-attachment-image' : 'cn-attachment'} data-testid="attachment" data-media-type={a.media_type}>
            <a href={url} target="_blank" rel="noopener" data-testid="attachment-link">
              {image ? <img src={url} alt={t('carenet.attachment.photo_alt', { name: a.filename })} loading="lazy" data-testid="attachment-image" /> : null}
              <span class="cn-attachment-name">
                {image ? '' : `${t('carenet.attachment.pdf')} `}
                {a.filename}
              </span>
              <span class="cn-attachment-size">{formatBytes(a.size)}</span>
            </a>
          </li>
        );
      })}
    </ul>
  );
}

function problemText(problem: FileProblem): string {
  switch (problem.problem) {
    case 'too_large':
      return t('carenet.attachment.too_large', { name: problem.filename, limit: formatBytes(MAX_ATTACHMENT_BYTES) });
    case 'wrong_type':
      return t('carenet.attachment.wrong_type', { name: problem.filename });
    case 'too_many':
      return t('carenet.attachment.too_many', { name: problem.filename, max: MAX_ATTACHMENTS });
    case 'unreadable':
      return t('carenet.attachment.unreadable', { name: problem.filename });
  }
}

/** Choose up to four JPEG/PNG/PDF files; previews, sizes and client-side refusals. */
export function AttachmentPicker({ id, files, onFiles }: { id: string; files: PickedFile[]; onFiles: (files: PickedFile[]) => void }) {
  const [problems, setProblems] = useState<FileProblem[]>([]);
  const [reading, setReading] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const full = files.length >= MAX_ATTACHMENTS;

  const onChange = async (event: Event) => {
    const element = event.currentTarget as HTMLInputElement;
    const chosen = Array.from(element.files ?? []);
    element.value = '';
    if (chosen.length === 0) return;
    setReading(true);
    const { accepted, problems: refused } = await readFiles(chosen, files.length);
    setReading(false);
    setProblems(refused);
    onFiles([...files, ...accepted]);
  };

  return (
    <div class="cn-picker" data-testid={`${id}-picker`}>
      <label for={id} class={full ? 'button button-secondary cn-file-button disabled' : 'button button-secondary cn-file-button'}>
        {t('carenet.attachment.add')}
      </label>
      <input
        id={id}
        ref={input}
        type="file"
        class="cn-file-input"
        accept="image/jpeg,image/png,application/pdf"
        multiple
        disabled={full}
        onChange={onChange}
        aria-describedby={`${id}-hint`}
        data-testid={`${id}-input`}
      />
      <p id={`${id}-hint`} class="field-hint">
        {t('carenet.attachment.hint', { max: MAX_ATTACHMENTS, limit: formatBytes(MAX_ATTACHMENT_BYTES) })}
      </p>
      {reading ? <Loading /> : null}
      <div aria-live="polite">
        {problems.length > 0 ? (
          <ul class="notice notice-error cn-file-problems" data-testid={`${id}-problems`}>
            {problems.map((p, i) => (
              <li key={i}>{problemText(p)}</li>
            ))}
          </ul>
        ) : null}
      </div>
      {files.length > 0 ? (
        <ul class="cn-picked" data-testid={`${id}-files`}>
          {files.map((file) => {
            const preview = previewUrl(file);
            return (
              <li key={file.key} class="cn-picked-file" data-testid={`${id}-file`}>
                {preview ? <img src={preview} alt="" class="cn-picked-preview" /> : <span class="cn-picked-pdf">PDF</span>}
                <span class="cn-picked-name">
                  {file.filename}
                  <span class="cell-sub">{formatBytes(file.size)}</span>
                </span>
                <button
                  type="button"
                  class="button button-quiet button-small"
                  onClick={() => onFiles(files.filter((f) => f.key !== file.key))}
                  data-testid={`${id}-remove`}
                >
                  {t('carenet.attachment.remove')}
                  <span class="visually-hidden">{file.filename}</span>
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}

/** The search text after a short pause in typing. */
export function useDebounced(text: string): string {
  const [value, setValue] = useState(text.trim());
  useEffect(() => {
    const timer = window.setTimeout(() => setValue(text.trim()), TYPING_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);
  return value;
}

/** Search professionals in the directory and pick one (invite to a team, add to a board). */
export function ProfessionalPicker({
  id,
  label,
  action,
  exclude,
  onPick,
  busy,
}: {
  id: string;
  label: string;
  /** The button text of each result ("招待する"). */
  action: string;
  /** User ids not offered (already members). */
  exclude: ReadonlySet<number>;
  onPick: (user: CareUser) => void;
  busy?: boolean;
}) {
  const [text, setText] = useState('');
  const query = useDebounced(text);
  const [found] = useResource((signal) => (query ? searchProfessionals({ q: query }, signal) : Promise.resolve(null)), [query]);
  return (
    <div class="cn-search-picker">
      <div class="field">
        <label for={id}>{label}</label>
        <input
          id={id}
          type="search"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          placeholder={t('carenet.professional.placeholder')}
          autocomplete="off"
          data-testid={`${id}`}
        />
      </div>
      {found.state === 'loading' ? <Loading /> : null}
      {found.state === 'error' ? <p class="notice notice-error">{describeError(found.error)}</p> : null}
      {found.state === 'ok' && found.data ? (
        found.data.length === 0 ? (
          <p class="field-hint" data-testid={`${id}-none`}>
            {t('carenet.professional.none')}
          </p>
        ) : (
          <ul class="plain-list cn-pick-results" data-testid={`${id}-results`}>
            {found.data.map((user) => (
              <li key={user.id} class="cn-pick-result" data-testid={`${id}-result`} data-user-id={user.id}>
                <UserLabel user={user} />
                {exclude.has(user.id) ? (
                  <span class="badge badge-muted">{t('carenet.professional.already')}</span>
                ) : (
                  <button type="button" class="button button-secondary button-small" disabled={busy} onClick={() => onPick(user)} data-testid={`${id}-pick`}>
                    {action}
                    <span class="visually-hidden">{user.name}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}

/**
 * Search the registry and pick a resident (registering a patient). With a birth date the
 * server looks the person up by name and birth date, which doctors and care managers may do
 * without seeing the register; without one, the search shows the residents the user may list,
 * and a resident number (the person id) can be typed.
 */
export function PersonPicker({ id, onPick }: { id: string; onPick: (person: Person) => void }) {
  const [text, setText] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const query = useDebounced(text);
  const [persons] = useResource(
    (signal) =>
      !query
        ? Promise.resolve(null)
        : birthDate
          ? findRegisterCandidates(query, birthDate, signal)
          : /^\d+$/.test(query)
            ? getPerson(Number(query), signal).then(
                (person) => [person],
                () => [],
              )
            : listPersons(query, signal),
    [query, birthDate],
  );
  return (
    <div class="cn-search-picker">
      <div class="field">
        <label for={id}>{t('carenet.register.person_search')}</label>
        <input
          id={id}
          type="search"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          placeholder={t('persons.search_placeholder')}
          autocomplete="off"
          aria-describedby={`${id}-hint`}
          data-testid={id}
        />
        <p id={`${id}-hint`} class="field-hint">
          {t('carenet.register.person_hint')}
        </p>
      </div>
      <div class="field">
        <label for={`${id}-birth`}>{t('carenet.register.birth_date')}</label>
        <input
          id={`${id}-birth`}
          type="date"
          value={birthDate}
          onInput={(e) => setBirthDate(e.currentTarget.value)}
          data-testid={`${id}-birth`}
        />
      </div>
      {persons.state === 'loading' ? <Loading /> : null}
      {persons.state === 'error' ? <p class="notice notice-error">{describeError(persons.error)}</p> : null}
      {persons.state === 'ok' && persons.data ? (
        persons.data.length === 0 ? (
          <p class="field-hint">{t('persons.empty')}</p>
        ) : (
          <ul class="plain-list cn-pick-results" data-testid={`${id}-results`}>
            {persons.data.map((person) => (
              <li key={person.id}>
                <button type="button" class="cn-pick-option" onClick={() => onPick(person)} data-testid={`${id}-option`}>
                  <span class="cell-strong">{person.name}</span>
                  <span class="cell-sub">
                    {person.kana}　{person.birth_date}　{person.address}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}
