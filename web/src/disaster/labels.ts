// Pure helpers for the safety labels of the settings (red 要支援, blue 無事, … as the municipality
// names and colours them): their name in the UI language, the text colour that reads on them, and
// the words for kinds, locations and needs that come from the server as codes.
import type { SafetyLabel } from '../api/disaster';
import { tOptional, type Lang } from '../common/i18n';

/** The label's name in the UI language (the Japanese one when it has no English name). */
export function labelName(label: SafetyLabel, lang: Lang): string {
  return lang === 'en' && label.name_en ? label.name_en : label.name;
}

/** The label of `key`; a grey stand-in named by its key when the settings no longer hold it. */
export function findLabel(labels: readonly SafetyLabel[], key: string): SafetyLabel {
  return labels.find((label) => label.key === key) ?? { key, color: '#6b7580', name: key, name_en: key };
}

/** Black or white, whichever contrasts more with the colour "#rrggbb" (WCAG relative luminance). */
export function textColorOn(color: string): '#000000' | '#ffffff' {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!match) return '#000000';
  const [r, g, b] = match.slice(1).map((hex) => {
    const c = parseInt(hex, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with black (L + 0.05) / 0.05 against white 1.05 / (L + 0.05).
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? '#000000' : '#ffffff';
}

/** The kind of event ("地震"); a kind this UI does not know is shown as the server wrote it. */
export function kindName(kind: string): string {
  return tOptional(`disaster.kind.${kind}`, kind);
}

/** Where the person is (自宅, 避難所, …). */
export function locationName(location: string): string {
  return tOptional(`disaster.location.${location}`, location);
}

/** A need code as words ("在宅酸素"); other words of the ledger are kept as written. */
export function needName(need: string): string {
  return tOptional(`disaster.need.${need}`, need);
}
