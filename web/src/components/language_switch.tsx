import { setLang, t, useLang, type Lang } from '../common/i18n';
import './language_switch.css';

const LANGS: { lang: Lang; label: string }[] = [
  { lang: 'ja', label: '日本語' },
  { lang: 'en', label: 'English' },
];

/** 日本語 / English toggle; the choice is remembered in this browser. */
export function LanguageSwitch() {
  const current = useLang();
  return (
    <div class="lang-switch" role="group" aria-label={t('lang.label')} data-testid="lang-switch">
      {LANGS.map(({ lang, label }) => (
        <button
          type="button"
          key={lang}
          lang={lang}
          class="lang-button"
          aria-pressed={current === lang}
          onClick={() => setLang(lang)}
          data-testid={`lang-${lang}`}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
