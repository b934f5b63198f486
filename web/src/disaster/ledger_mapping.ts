// Pure helpers of the ledger page: which headers the mapping screen asks about, and the mapping
// to save from the choices made there.
import type { LedgerField, LedgerMapping } from '../api/disaster_ledger';

/**
 * The headers of a file refused with 400 missing_column, read from the server's message
 * ("no column for name (e.g. 住民番号, 氏名); the header is: 番号,氏名,生まれ"); [] when the message
 * does not list them. Empty headers are left out; a header written twice is listed once.
 */
export function headersFromMissingColumn(message: string): string[] {
  const marker = 'the header is:';
  const at = message.lastIndexOf(marker);
  if (at < 0) return [];
  return unique(
    message
      .slice(at + marker.length)
      .split(',')
      .map((header) => header.trim())
      .filter((header) => header !== ''),
  );
}

/**
 * The header line of a file as text, for when the server's answer does not list the headers:
 * the first line, split at commas outside quotes. Good enough to name the columns; the server
 * remains the one that reads the file.
 */
export function headersFromFirstLine(text: string): string[] {
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      out.push(field.trim());
      field = '';
    } else {
      field += c;
    }
  }
  out.push(field.trim());
  return unique(out.filter((header) => header !== ''));
}

/**
 * The saved mapping with the choices of the mapping screen applied: a header given a field is
 * mapped to it, a header left at "don't use" ('') is taken out of the mapping. Headers the
 * screen did not ask about keep what was saved. Headers are saved trimmed, as the server looks
 * them up.
 */
export function mergeMapping(saved: LedgerMapping, choices: Record<string, LedgerField | ''>): LedgerMapping {
  const merged: LedgerMapping = { ...saved };
  for (const [header, field] of Object.entries(choices)) {
    const key = header.trim();
    if (!key) continue;
    if (field) merged[key] = field;
    else delete merged[key];
  }
  return merged;
}

/** The mapping without `header`. */
export function withoutHeader(saved: LedgerMapping, header: string): LedgerMapping {
  const rest: LedgerMapping = { ...saved };
  delete rest[header];
  return rest;
}

/** Fields chosen for more than one header: the server would refuse the file (duplicate_column). */
export function fieldsChosenTwice(choices: Record<string, LedgerField | ''>): Set<LedgerField> {
  const seen = new Set<LedgerField>();
  const twice = new Set<LedgerField>();
  for (const field of Object.values(choices)) {
    if (!field) continue;
    if (seen.has(field)) twice.add(field);
    seen.add(field);
  }
  return twice;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
