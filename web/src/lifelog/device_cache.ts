// What ここのーと keeps on the device besides the outbox: the last template of each person per
// user, so that the entry form opens without a connection. Dropped when the user signs out.
import type { TemplateAnswer } from '../api/lifelog';

const PREFIX = 'moyakko.lifelog.template.';

function key(user: number, person: number): string {
  return `${PREFIX}${user}.${person}`;
}

export function keepTemplate(user: number, person: number, answer: TemplateAnswer): void {
  try {
    localStorage.setItem(key(user, person), JSON.stringify(answer));
  } catch {
    // Not kept: the form needs a connection next time.
  }
}

export function keptTemplate(user: number, person: number): TemplateAnswer | null {
  try {
    const text = localStorage.getItem(key(user, person));
    return text ? (JSON.parse(text) as TemplateAnswer) : null;
  } catch {
    return null;
  }
}

export function forgetTemplate(user: number, person: number): void {
  try {
    localStorage.removeItem(key(user, person));
  } catch {
    // Nothing to forget.
  }
}

/** Drops every kept template (on signing out: the next user of the phone sees none). */
export function forgetAllTemplates(): void {
  try {
    const keys: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k?.startsWith(PREFIX)) keys.push(k);
    }
    for (const k of keys) localStorage.removeItem(k);
  } catch {
    // Storage unavailable: nothing was kept.
  }
}
