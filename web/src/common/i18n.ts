// UI language: Japanese by default, English available. The choice is remembered in
// localStorage and mirrored into <html lang> so screen readers and fonts follow it.
import en from '../i18n/en.json';
import ja from '../i18n/ja.json';
import { createStore, useStore } from './store';

export type Lang = 'ja' | 'en';
export type MessageKey = keyof typeof ja;

// `satisfies` makes the compiler report a key missing from en.json.
const catalogs = { ja, en: en satisfies Record<MessageKey, string> } as const;

const STORAGE_KEY = 'moyakko.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'ja' || saved === 'en') return saved;
  } catch {
    // Storage can be unavailable (private mode); fall back to the default.
  }
  return 'ja';
}

export const langStore = createStore<Lang>(initialLang());

export function setLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered, but still applied for this tab.
  }
  langStore.set(lang);
  applyLang(lang);
}

export function applyLang(lang: Lang = langStore.get()): void {
  document.documentElement.lang = lang;
}

/** The message for `key` in the current language, with {name} placeholders filled in. */
export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  const text: string = catalogs[langStore.get()][key] ?? catalogs.ja[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** For keys built from data (a role, an outcome): the message when there is one, else `fallback`. */
export function tOptional(key: string, fallback: string): string {
  return hasMessage(key) ? t(key) : fallback;
}

export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(catalogs.ja, key);
}

/** Subscribes the component to language changes; returns the current language. */
export function useLang(): Lang {
  return useStore(langStore);
}

/** BCP 47 locale for Intl formatting in the current language. */
export function locale(lang: Lang = langStore.get()): string {
  return lang === 'ja' ? 'ja-JP' : 'en-GB';
}
