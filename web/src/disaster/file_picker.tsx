import { useState } from 'preact/hooks';
import { formatNumber } from '../common/format';
import { t, useLang } from '../common/i18n';

/**
 * The ledger file: a large "choose a file" button, and on desktops a zone to drop the file on.
 * The input itself is visually hidden but keeps focus and the label (the zone shows the focus).
 */
export function FilePicker({ file, disabled, onFile }: { file: File | null; disabled: boolean; onFile: (file: File | null) => void }) {
  const lang = useLang();
  const [over, setOver] = useState(false);
  const accept = (files: FileList | null | undefined) => {
    const first = files && files.length > 0 ? files[0] : null;
    if (first) onFile(first);
  };
  return (
    <div
      class={`lg-drop${over ? ' is-over' : ''}${file ? ' has-file' : ''}`}
      onDragOver={(e) => {
        if (disabled) return;
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={(e) => {
        // Moving onto the button or a line inside the zone is not leaving it.
        if (!(e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget))) setOver(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (!disabled) accept(e.dataTransfer?.files);
      }}
      data-testid="ledger-drop"
    >
      <input
        id="lg-file"
        class="visually-hidden lg-file-input"
        type="file"
        accept=".csv,.txt,text/csv,text/plain"
        disabled={disabled}
        aria-describedby="lg-file-hint lg-file-chosen"
        onChange={(e) => {
          accept(e.currentTarget.files);
          // The same file chosen again (after it was changed on disk) still counts as a choice.
          e.currentTarget.value = '';
        }}
        data-testid="ledger-file"
      />
      <label for="lg-file" class="button button-secondary lg-file-button">
        {file ? t('ledger.file.change') : t('ledger.file.choose')}
      </label>
      <p id="lg-file-hint" class="lg-drop-hint">
        {t('ledger.file.hint')}
      </p>
      <p id="lg-file-chosen" class="lg-file-chosen" data-testid="ledger-file-name" aria-live="polite">
        {file ? (
          <>
            <strong class="lg-file-name">{file.name}</strong>
            <span class="lg-file-size">{formatSize(file.size, lang)}</span>
          </>
        ) : (
          t('ledger.file.none')
        )}
      </p>
    </div>
  );
}

function formatSize(bytes: number, lang: 'ja' | 'en'): string {
  if (bytes < 1024) return t('ledger.file.bytes', { n: formatNumber(bytes, lang, 0) });
  if (bytes < 1024 * 1024) return t('ledger.file.kib', { n: formatNumber(bytes / 1024, lang, 1) });
  return t('ledger.file.mib', { n: formatNumber(bytes / (1024 * 1024), lang, 1) });
}
