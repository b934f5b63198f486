// The fields of each summary section (the server's contract), for forms and for display.
import type { EntryData, SummaryCategory, SummarySection } from '../api/carenet';
import { t, tOptional, type MessageKey } from '../common/i18n';

export const CARE_LEVELS = ['要支援1', '要支援2', '要介護1', '要介護2', '要介護3', '要介護4', '要介護5', '非該当'] as const;

export type FieldKind = 'text' | 'textarea' | 'date' | 'select' | 'phones' | 'number';

export interface FieldDef {
  name: string;
  kind: FieldKind;
  required?: boolean;
  /** For selects: the values; labels are carenet.value.<name>.<value> when such a message exists. */
  options?: readonly string[];
}

export const SECTION_FIELDS: Record<SummarySection, FieldDef[]> = {
  care_level: [
    { name: 'level', kind: 'select', required: true, options: CARE_LEVELS },
    { name: 'certified_on', kind: 'date', required: true },
    { name: 'valid_from', kind: 'date' },
    { name: 'valid_until', kind: 'date' },
  ],
  history: [
    { name: 'condition', kind: 'text', required: true },
    { name: 'since', kind: 'text' },
    { name: 'status', kind: 'select', options: ['active', 'resolved', 'unknown'] },
    { name: 'note', kind: 'textarea' },
  ],
  prescriptions: [
    { name: 'drug', kind: 'text', required: true },
    { name: 'dose', kind: 'text' },
    { name: 'schedule', kind: 'text' },
    { name: 'prescriber', kind: 'text' },
    { name: 'pharmacy', kind: 'text' },
    { name: 'from', kind: 'date' },
    { name: 'until', kind: 'date' },
  ],
  allergies: [
    { name: 'substance', kind: 'text', required: true },
    { name: 'reaction', kind: 'text' },
    { name: 'severity', kind: 'select', options: ['mild', 'moderate', 'severe', 'unknown'] },
  ],
  family_doctor: [
    { name: 'name', kind: 'text', required: true },
    { name: 'clinic', kind: 'text' },
    { name: 'phone', kind: 'text' },
  ],
  next_of_kin: [
    { name: 'name', kind: 'text', required: true },
    { name: 'relationship', kind: 'text' },
    { name: 'phones', kind: 'phones' },
    { name: 'order', kind: 'number' },
  ],
  acp: [
    { name: 'confirmed_on', kind: 'date', required: true },
    { name: 'resuscitation', kind: 'select', options: ['wanted', 'not_wanted', 'undecided'] },
    { name: 'life_sustaining', kind: 'textarea' },
    { name: 'place_of_care', kind: 'text' },
    { name: 'place_of_death', kind: 'text' },
    { name: 'decision_maker', kind: 'text' },
    { name: 'note', kind: 'textarea' },
  ],
};

/** Which category of the summary a section belongs to (what `withheld` names). */
export const SECTION_CATEGORY: Record<SummarySection, SummaryCategory> = {
  care_level: 'care_level',
  history: 'clinical',
  prescriptions: 'clinical',
  allergies: 'clinical',
  family_doctor: 'contacts',
  next_of_kin: 'contacts',
  acp: 'acp',
};

export function fieldLabel(section: SummarySection, field: string): string {
  return tOptional(`carenet.field.${section}.${field}`, field);
}

export function sectionTitle(section: SummarySection): string {
  return t(`carenet.section.${section}` as MessageKey);
}

export function optionLabel(field: string, value: string): string {
  return tOptional(`carenet.value.${field}.${value}`, value);
}

/** A field's value as text ("" when empty). */
export function displayValue(def: FieldDef, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (def.kind === 'phones') return Array.isArray(value) ? value.filter(Boolean).join('、') : String(value);
  if (def.kind === 'select' && def.options && def.name !== 'level') return optionLabel(def.name, String(value));
  return String(value);
}

/** Form state: every field as a string (phones one per line). */
export function toForm(section: SummarySection, data: EntryData | null): Record<string, string> {
  const form: Record<string, string> = {};
  for (const def of SECTION_FIELDS[section]) {
    const value = data?.[def.name];
    if (def.kind === 'phones') form[def.name] = Array.isArray(value) ? value.join('\n') : value ? String(value) : '';
    else form[def.name] = value === null || value === undefined ? '' : String(value);
  }
  if (section === 'care_level' && !form.level) form.level = '';
  return form;
}

/** Form state → the JSON `data` the server takes; empty optional fields are left out. */
export function fromForm(section: SummarySection, form: Record<string, string>): EntryData {
  const data: EntryData = {};
  for (const def of SECTION_FIELDS[section]) {
    const raw = (form[def.name] ?? '').trim();
    if (def.kind === 'phones') {
      const phones = raw
        .split(/[\n,、]+/)
        .map((p) => p.trim())
        .filter(Boolean);
      if (phones.length > 0) data[def.name] = phones;
    } else if (def.kind === 'number') {
      if (raw) data[def.name] = Number(raw);
    } else if (raw) {
      data[def.name] = raw;
    }
  }
  return data;
}

/** The first required field left empty, or null. */
export function missingField(section: SummarySection, form: Record<string, string>): string | null {
  for (const def of SECTION_FIELDS[section]) if (def.required && !(form[def.name] ?? '').trim()) return def.name;
  return null;
}
