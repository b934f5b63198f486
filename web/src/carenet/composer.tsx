import { useState } from 'preact/hooks';
import { createPost, type CareUser, type Post } from '../api/carenet';
import { t } from '../common/i18n';
import { useSubmit } from '../common/use_submit';
import { describeError } from '../components/error_message';
import { toUploads, type PickedFile } from './attachments';
import { AttachmentPicker, roleName } from './parts';

const MAX_BODY = 10_000;

/** Writing to the team timeline: text, 重要, mentions of team members, photos and PDFs. */
export function Composer({ patient, members, onPosted }: { patient: number; members: CareUser[]; onPosted: (post: Post) => void }) {
  const [body, setBody] = useState('');
  const [important, setImportant] = useState(false);
  const [mentions, setMentions] = useState<number[]>([]);
  const [files, setFiles] = useState<PickedFile[]>([]);
  const [missing, setMissing] = useState(false);
  const [posted, setPosted] = useState(false);
  // Folded to one text box until used, so that on a phone the timeline starts on the first screen.
  const [open, setOpen] = useState(false);
  const expanded = open || body !== '' || files.length > 0 || important || mentions.length > 0;

  const { submit, busy, error } = useSubmit(async () => {
    setPosted(false);
    if (!body.trim() && files.length === 0) {
      setMissing(true);
      return;
    }
    setMissing(false);
    const post = await createPost(patient, {
      body: body.trim(),
      important,
      mentions: mentions.filter((m) => members.some((u) => u.id === m)),
      attachments: toUploads(files),
    });
    setBody('');
    setImportant(false);
    setMentions([]);
    setFiles([]);
    setOpen(false);
    setPosted(true);
    onPosted(post);
  });

  const toggleMention = (id: number, on: boolean) => setMentions(on ? [...mentions, id] : mentions.filter((m) => m !== id));
  const errorText = error
    ? error.code === 'no_consent'
      ? t('carenet.error.no_consent')
      : error.status === 413
        ? t('carenet.attachment.server_too_large')
        : describeError(error)
    : null;

  return (
    <form class={expanded ? 'card cn-composer' : 'card cn-composer cn-composer-folded'} onSubmit={submit} aria-labelledby="composer-title" data-testid="composer">
      <h2 id="composer-title" class={expanded ? 'section-title' : 'section-title visually-hidden'}>
        {t('carenet.composer.title')}
      </h2>
      <div class="field">
        <label for="composer-body" class="visually-hidden">
          {t('carenet.composer.body')}
        </label>
        <textarea
          id="composer-body"
          rows={expanded ? 4 : 2}
          maxLength={MAX_BODY}
          value={body}
          placeholder={t('carenet.composer.placeholder')}
          onFocus={() => setOpen(true)}
          onInput={(e) => {
            setBody(e.currentTarget.value);
            setMissing(false);
            setPosted(false);
          }}
          aria-invalid={missing || undefined}
          aria-describedby={missing ? 'composer-missing' : undefined}
          data-testid="composer-body"
        />
        {missing ? (
          <p id="composer-missing" class="cn-field-error" role="alert" data-testid="composer-missing">
            {t('carenet.composer.missing')}
          </p>
        ) : null}
      </div>
      {expanded ? (
        <div class="cn-composer-options">
          <label class="cn-check cn-check-important">
            <input type="checkbox" checked={important} onChange={(e) => setImportant(e.currentTarget.checked)} data-testid="composer-important" />
            <span>{t('carenet.composer.important')}</span>
          </label>
          {members.length > 0 ? (
            <details class="cn-mentions" data-testid="composer-mentions">
              <summary>
                {t('carenet.composer.mention')}
                {mentions.length > 0 ? <span class="cn-count-badge">{mentions.length}</span> : null}
              </summary>
              <fieldset class="cn-mention-list">
                <legend class="visually-hidden">{t('carenet.composer.mention_legend')}</legend>
                {members.map((m) => (
                  <label key={m.id} class="cn-check" data-testid="mention-option" data-user-id={m.id}>
                    <input type="checkbox" checked={mentions.includes(m.id)} onChange={(e) => toggleMention(m.id, e.currentTarget.checked)} />
                    <span>
                      {m.name}
                      <span class="cell-sub">
                        {roleName(m.role)}
                        {m.organization ? `${t('carenet.sep')}${m.organization.name}` : ''}
                      </span>
                    </span>
                  </label>
                ))}
              </fieldset>
            </details>
          ) : null}
        </div>
      ) : null}
      <div class="cn-composer-bar">
        <AttachmentPicker id="composer-file" files={files} onFiles={setFiles} />
        <button type="submit" class="button button-primary cn-composer-submit" disabled={busy} data-testid="composer-submit">
          {busy ? t('carenet.composer.posting') : t('carenet.composer.submit')}
        </button>
      </div>
      <div aria-live="polite">
        {errorText ? (
          <p class="notice notice-error" role="alert" data-testid="composer-error">
            {errorText}
          </p>
        ) : null}
        {posted ? (
          <p class="notice notice-success" data-testid="composer-posted">
            {t('carenet.composer.posted')}
          </p>
        ) : null}
      </div>
    </form>
  );
}
